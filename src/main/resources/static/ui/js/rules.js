// The tracker rules of the service (tracker/TrackerRules and docs/management-api.md), checked as the user types so
// that most mistakes never reach the server. The server stays the judge: whatever it refuses is shown too.

export const LIMITS = {minPhrases: 5, maxPhrases: 50, maxPhraseLength: 256, maxNameLength: 128, maxExclude: 50};

// letters of any script with their combining marks, decimal digits, space separators, and . ' -
const ALLOWED = /^[\p{L}\p{M}\p{Nd}\p{Zs}.'\-]$/u;

/** The lines of a textarea as phrases: trimmed, blank lines dropped. */
export function phrases(text) {
  return text.split('\n').map(line => line.trim()).filter(line => line.length > 0);
}

function describe(character) {
  const code = character.codePointAt(0);
  const invisible = /[\p{Cc}\p{Cf}\s]/u.test(character);
  return invisible ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${character}'`;
}

function abbreviate(phrase) {
  return phrase.length <= 80 ? phrase : `${phrase.slice(0, 77)}...`;
}

/** Problems of one list of phrases: [{line, message}] (line 1-based, or null for the list as a whole). */
export function checkPhrases(list, {min = 0, max, what = 'phrases'} = {}) {
  const problems = [];
  if (list.length < min || list.length > max) {
    problems.push({line: null, message: min > 0
      ? `must have ${min} to ${max} ${what}, has ${list.length}`
      : `must have at most ${max} ${what}, has ${list.length}`});
  }
  const seen = new Map();
  list.forEach((phrase, index) => {
    const line = index + 1;
    if ([...phrase].length > LIMITS.maxPhraseLength) {
      problems.push({line, message: `"${abbreviate(phrase)}" is ${phrase.length} characters long; at most ${LIMITS.maxPhraseLength} are allowed`});
    }
    const bad = [...phrase].find(character => !ALLOWED.test(character));
    if (bad) {
      problems.push({line, message: `"${abbreviate(phrase)}" contains ${describe(bad)} which is not allowed; only letters, digits, spaces and . ' - are`});
    }
    const key = phrase.toLowerCase();
    if (seen.has(key)) {
      problems.push({line, message: `"${abbreviate(phrase)}" repeats line ${seen.get(key)} (phrases are compared ignoring case)`});
    } else {
      seen.set(key, line);
    }
  });
  return problems;
}

export function checkVocabulary(list) {
  return checkPhrases(list, {min: LIMITS.minPhrases, max: LIMITS.maxPhrases});
}

export function checkExclude(list) {
  return checkPhrases(list, {min: 0, max: LIMITS.maxExclude});
}

export function checkName(name) {
  const trimmed = name.trim();
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
