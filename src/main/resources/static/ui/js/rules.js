// The tracker rules of the service (tracker/TrackerRules and docs/management-api.md), checked as the user types so
// that most mistakes never reach the server. The server stays the judge: whatever it refuses is shown too.

export const LIMITS = {minPhrases: 5, maxPhrases: 50, maxPhraseLength: 256, maxNameLength: 128, maxExclude: 50,
  maxExamples: 1000, maxExampleLength: 1000};

// letters of any script with their combining marks, decimal digits, space separators, and . ' -
const ALLOWED = /^[\p{L}\p{M}\p{Nd}\p{Zs}.'\-]$/u;

/** The lines of a textarea as phrases: trimmed, blank lines dropped. */
export function phrases(text) {
  return phraseLines(text).map(entry => entry.phrase);
}

/** The phrases of a textarea with the (1-based) line each is on, so that problems can name the line the user sees. */
export function phraseLines(text) {
  return text.split('\n').map((line, index) => ({phrase: line.trim(), line: index + 1})).filter(entry => entry.phrase.length > 0);
}

function describe(character) {
  const code = character.codePointAt(0);
  const invisible = /[\p{Cc}\p{Cf}\s]/u.test(character);
  return invisible ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${character}'`;
}

function abbreviate(phrase) {
  return phrase.length <= 80 ? phrase : `${phrase.slice(0, 77)}...`;
}

/**
 * Problems of one list of phrases: [{index, number, message}] (index 0-based in the list, null for the list as a
 * whole). number is how the page names the phrase: numbers[index] (a textarea's line) or index + 1; unit names
 * what the numbers count in the message about a repeat ("repeats line 1", "repeats phrase 1").
 */
export function checkPhrases(list, {min = 0, max, what = 'phrases', numbers, unit = 'phrase'} = {}) {
  const numberOf = index => numbers?.[index] ?? index + 1;
  const problems = [];
  if (list.length < min || list.length > max) {
    problems.push({index: null, number: null, message: min > 0
      ? `must have ${min} to ${max} ${what}, has ${list.length}`
      : `must have at most ${max} ${what}, has ${list.length}`});
  }
  const seen = new Map();
  list.forEach((phrase, index) => {
    const number = numberOf(index);
    if ([...phrase].length > LIMITS.maxPhraseLength) {
      problems.push({index, number, message: `"${abbreviate(phrase)}" is ${phrase.length} characters long; at most ${LIMITS.maxPhraseLength} are allowed`});
    }
    const bad = [...phrase].find(character => !ALLOWED.test(character));
    if (bad) {
      problems.push({index, number, message: `"${abbreviate(phrase)}" contains ${describe(bad)} which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)`});
    }
    const key = phraseKey(phrase);
    if (seen.has(key)) {
      problems.push({index, number, message: `"${abbreviate(phrase)}" repeats ${unit} ${numberOf(seen.get(key))} (phrases are compared ignoring case, spacing and how accents are encoded)`});
    } else {
      seen.set(key, index);
    }
  });
  return problems;
}

export function checkVocabulary(list, options = {}) {
  return checkPhrases(list, {...options, min: LIMITS.minPhrases, max: LIMITS.maxPhrases});
}

// words so common that a phrase of nothing else occurs in nearly every sentence, so its tracker fires literally on
// almost everything said (articles, pronouns, prepositions, conjunctions, forms of "be"); "no", "yes" and
// "ok" are not among them: a tracker of answers means them
const EVERYWHERE = new Set(['a', 'an', 'the', 'and', 'or', 'but', 'if', 'so', 'as', 'of', 'in', 'on', 'at', 'to', 'for',
  'with', 'i', 'me', 'my', 'you', 'your', 'we', 'our', 'us', 'he', 'him', 'his', 'she', 'her', 'it', 'its', 'they',
  'them', 'their', 'this', 'that', 'is', 'are', 'was', 'were', 'be', 'am']);

/**
 * Phrases that are allowed but will fire on nearly every sentence: [{index, number, message}], as checkPhrases names
 * them. A one-character phrase, or one made only of the commonest words ("a", "the", "it is").
 */
export function everywherePhrases(list, {numbers} = {}) {
  const warnings = [];
  list.forEach((phrase, index) => {
    const words = phrase.toLowerCase().split(/[\s.'-]+/u).filter(word => word.length > 0);
    if ([...phrase.trim()].length === 1 || (words.length > 0 && words.every(word => EVERYWHERE.has(word)))) {
      warnings.push({index, number: numbers?.[index] ?? index + 1, message: `"${abbreviate(phrase)}" is said in `
        + 'nearly every sentence: the tracker would fire on almost everything. Write what people say about the topic.'});
    }
  });
  return warnings;
}

/**
 * The exclude phrases' problems; with the vocabulary, also a phrase excluded that the tracker itself has (which the
 * server refuses: the tracker could never fire on its own phrase). vocabularyName(index) names a vocabulary phrase.
 */
export function checkExclude(list, options = {}, vocabulary = [], vocabularyName = index => `phrase ${index + 1}`) {
  const problems = checkPhrases(list, {...options, min: 0, max: LIMITS.maxExclude});
  const own = new Map();
  vocabulary.forEach((phrase, index) => { if (!own.has(phraseKey(phrase))) own.set(phraseKey(phrase), index); });
  list.forEach((phrase, index) => {
    const same = own.get(phraseKey(phrase));
    if (same !== undefined) {
      problems.push({index, number: options.numbers?.[index] ?? index + 1,
        message: `"${abbreviate(phrase)}" is also ${vocabularyName(same)} of the tracker; a tracker cannot exclude its own phrase`});
    }
  });
  return problems;
}

/** Text without invisible characters at either end (whitespace of any script, zero-width and other format characters), as the server trims it. */
export function trimText(text) {
  return text.replace(/^[\s\p{Cf}]+|[\s\p{Cf}]+$/gu, '');
}

/** What the server compares phrases by (common/TextForms.key): NFC, one space per run of spaces, case-folded. */
export function phraseKey(phrase) {
  return trimText(phrase.normalize('NFC')).replace(/\s+/g, ' ').toUpperCase().toLowerCase().normalize('NFC');
}

export function checkName(name) {
  const trimmed = trimText(name);
  if (!trimmed) return ['is required'];
  if (trimmed.length > LIMITS.maxNameLength) return [`must be at most ${LIMITS.maxNameLength} characters, has ${trimmed.length}`];
  return [];
}

/** "vocabulary[4]" → {field: "vocabulary", index: 4}; "window.seconds" → {field: "window", sub: "seconds"}. */
export function parseFieldPath(path) {
  const match = /^([A-Za-z]+)(?:\[(\d+)\])?(?:\.(.+))?$/.exec(path ?? '');
  if (!match) return {field: null};
  return {field: match[1], index: match[2] === undefined ? null : Number(match[2]), sub: match[3] ?? null};
}
