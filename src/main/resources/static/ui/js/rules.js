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

// A list pasted from a document, an email or a chat brings its bullets and numbers ("1. talk to my manager",
// "• too expensive") and its punctuation ("Is there a discount?", curly apostrophes, commas). Numbers and some bullets
// are allowed characters, so such a phrase is stored as it is and no longer matches what is said word for word
// ("1. talk to my manager" matched "I will talk to my manager first" by meaning only); the rest is refused. What a
// phrase cannot mean is taken out by tidyPhrase, which the editor offers in one click.
const LIST_MARK = /^(?:[-*\u2022\u2023\u25E6\u25AA\u00B7\u2013\u2014]|\(?\d{1,3}[.)])\s+/u;
// punctuation that ends or splits a sentence, and quotes around a phrase: dropped (inside a phrase, a space instead)
const SENTENCE_PUNCTUATION = /[?!,;:"\u201C\u201D\u201E\u00AB\u00BB()[\]{}\u2026\u00BF\u00A1]/gu;
// the typographic forms of the characters a phrase may hold: the plain ones
const TYPOGRAPHIC = [[/[\u2018\u2019\u02BC\u00B4`]/gu, "'"], [/[\u2010\u2011\u2012]/gu, '-'], [/\u2013|\u2014/gu, ' ']];

/** The list mark ("1.", "2)", "-", "•") a pasted phrase starts with, or null. */
export function listMark(phrase) {
  return LIST_MARK.exec(phrase.trim())?.[0].trim() ?? null;
}

/**
 * The phrase without its list mark, sentence punctuation and quotes, typographic apostrophes and hyphens made plain,
 * one space between words. Characters that need the user's choice ("24/7", "&", "$99") are left for the rules to name.
 */
export function tidyPhrase(phrase) {
  let tidy = phrase.trim().replace(LIST_MARK, '');
  for (const [typographic, plain] of TYPOGRAPHIC) tidy = tidy.replace(typographic, plain);
  return tidy.replace(SENTENCE_PUNCTUATION, ' ').replace(/[^\S\n]+/gu, ' ').trim();
}

/** The box's text with each line tidied (blank lines and line numbers kept), and how many lines changed. */
export function tidyPhraseLines(text) {
  let changed = 0;
  const lines = text.split('\n').map(line => {
    if (!line.trim()) return line;
    const tidy = tidyPhrase(line);
    if (tidy !== line.trim()) changed += 1;
    return tidy;
  });
  return {text: lines.join('\n'), changed};
}

/**
 * The lines whose phrase starts with a list mark (allowed, so not a problem) as one warning, {number, message}, or
 * null: a pasted list has a mark on every line, and one line each repeated the same words six times.
 */
export function listMarkWarning(list, {numbers} = {}) {
  const marked = list.map((phrase, index) => ({mark: listMark(phrase), number: numbers?.[index] ?? index + 1}))
    .filter(entry => entry.mark);
  if (marked.length === 0) return null;
  const lines = marked.map(entry => entry.number);
  const named = lines.length === 1 ? `Line ${lines[0]} starts`
    : lines.length <= 4 ? `Lines ${lines.slice(0, -1).join(', ')} and ${lines.at(-1)} start`
      : `${lines.length} lines (${lines.slice(0, 3).join(', ')}…) start`;
  const marks = [...new Set(marked.map(entry => `"${entry.mark}"`))];
  return {number: lines[0], message: `${named} with the mark of a list (${marks.slice(0, 2).join(', ')}`
    + `${marks.length > 2 ? '…' : ''}), which would be saved as part of the phrase. "Remove list marks and punctuation" `
    + 'takes it out.'};
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
