// Turning what a user pastes into the messages of the API, and the API's hits into what a message shows.
import {h, score, scoreAndThreshold} from './dom.js';
import {problemText} from './api.js';

// words that start a line as "Word: …" without naming anyone
const NOT_SPEAKERS = new Set(['note', 'notes', 'nb', 'n.b', 'ps', 'p.s', 'pps', 'fyi', 're', 'subject', 'update', 'edit',
  'question', 'answer', 'example', 'summary', 'important', 'warning', 'tip', 'reminder', 'todo', 'action', 'agenda',
  'result', 'conclusion', 'info', 'source', 'quote', 'caution']);

/**
 * The rule the pages state in their hints: "Name: text" names a speaker when the name is one to four words, the
 * first starting with a capital letter ("Ann", "Ann Lee", "Speaker 2"; "agent" and "customer" in any case), and is
 * not a word that labels a note ("Note:", "PS:", "FYI:", …). Anything else is text, colon included.
 */
export function speakerOf(label) {
  const name = label.trim();
  const lower = name.toLowerCase();
  if (lower === 'agent' || lower === 'customer') return name;
  if (NOT_SPEAKERS.has(lower.replace(/\.$/, ''))) return null;
  return /^[\p{Lu}\p{Lo}][\p{L}\p{M}'.-]*(?: [\p{L}\p{M}\p{Nd}'.-]+){0,3}$/u.test(name) && name.length <= 40 ? name : null;
}

/**
 * One message per non-blank line; a line "Name: text" whose name passes speakerOf names its speaker. A speaker named
 * Agent or Customer gets that role from the service (MessageRules), as in an uploaded transcript: not decided here.
 */
export function parseConversation(text) {
  return messageLines(text).map(({text: line}, index) => {
    const match = /^([^:]{1,40}):\s+(.+)$/u.exec(line);
    const name = match ? speakerOf(match[1]) : null;
    const message = {id: `m${index + 1}`, payload: {content: name ? match[2] : line}};
    if (name) {
      message.from = {name};
    }
    return message;
  });
}

/** The lines of a box that are messages: [{line, text}], line 1-based as the user sees it (blank lines count). */
export function messageLines(text) {
  return text.split('\n').map((line, index) => ({line: index + 1, text: line.trim()})).filter(entry => entry.text);
}

/**
 * What the service refused in messages pasted into a box, in the words of the page, one line each: a problem of
 * messages[i] names the line of the box that message came from ("Line 3: must not contain …"), and neither the
 * API's JSON paths nor its endpoints are shown. text: the box's text, as parseConversation read it.
 */
export function problemsByLine(response, text) {
  const lines = messageLines(text);
  const errors = response.body?.errors ?? [];
  // a refusal of the whole call (too many messages or characters, 413): its path and the API's advice go, whether the
  // service says it in the detail or, since 2026-11-28, as an error of the field "messages"
  const inPageWords = text => {
    const detail = text.replace(/^messages: /, '')
      .replace(/split the request or use POST \/v1\/process\/text/, 'try a part of it, or upload it on the Conversations page');
    return detail.charAt(0).toUpperCase() + detail.slice(1);
  };
  if (errors.length === 0) return [inPageWords(problemText(response))];
  return errors.map(error => {
    const index = /^messages\[(\d+)\]/.exec(error.field ?? '');
    if (index) return `Line ${lines[Number(index[1])]?.line ?? Number(index[1]) + 1}: ${error.message}`;
    return inPageWords(error.message);
  });
}

/**
 * The hits of a results array (the Conversation API / /v1/match shape) by message id:
 * Map(messageId → [{start, end, tracker, trackerId, phrase, score, offset, literal, said, also, spans}]), one hit per
 * tracker and message.
 *
 * The API lists, for a tracker that fired on a message, every phrase of it within its threshold (api.md: one
 * `matches` entry per phrase), and trackers whose phrases say much the same thing have all of them there. What
 * matched the message is its best literal phrase (the highest score, then the first said), or else the closest
 * phrase; the others are kept as `also` (phrase, score, literal, said) on that hit, to be shown as "also close", not as
 * hits of their own: a heading counting a tracker once per message drew three chips of one tracker for one message.
 * `spans` are the places of every literal phrase (or of the one hit by meaning), to highlight.
 */
export function hitsByMessage(results, textOf) {
  const byMessage = new Map();
  for (const tracker of results ?? []) {
    for (const match of tracker.matches ?? []) {
      for (const ref of match.messageRefs ?? []) {
        const text = textOf?.(ref.id) ?? ref.text ?? '';
        let {start, end} = ref;
        if (start === undefined || end === undefined) {
          // the plain Symbl shape: a literal hit has the phrase at offset, a hit by meaning covers the message
          start = ref.offset >= 0 ? ref.offset : 0;
          end = ref.offset >= 0 ? ref.offset + match.value.length : text.length;
        }
        const perTracker = byMessage.get(ref.id) ?? new Map();
        const list = perTracker.get(tracker.id ?? tracker.name) ?? [];
        const literal = ref.offset >= 0;
        // a literal hit covers the words said, which may be another form of the phrase ("price" for "pricing")
        const said = literal && text ? text.slice(start, end) : null;
        list.push({start, end, tracker: tracker.name, trackerId: tracker.id, phrase: match.value, score: ref.score,
          offset: ref.offset, literal, said: said && comparable(said) !== comparable(match.value) ? said : null});
        perTracker.set(tracker.id ?? tracker.name, list);
        byMessage.set(ref.id, perTracker);
      }
    }
  }
  const hits = new Map();
  for (const [messageId, perTracker] of byMessage) {
    hits.set(messageId, [...perTracker.values()].flatMap(list => {
      const literal = list.filter(hit => hit.literal);
      const byScore = (a, b) => (b.score ?? 0) - (a.score ?? 0) || a.start - b.start;
      const matched = [...(literal.length ? literal : list)].sort(byScore)[0];
      // the other literal phrases first (they were said), then the others by score
      const also = [...literal.filter(hit => hit !== matched).sort((a, b) => a.start - b.start),
        ...list.filter(hit => !hit.literal && hit !== matched).sort(byScore)]
        .map(hit => ({phrase: hit.phrase, score: hit.score, literal: hit.literal, said: hit.said}));
      const spans = (literal.length ? literal : [matched]).map(hit => ({start: hit.start, end: hit.end, phrase: hit.phrase}));
      return [{...matched, also, spans}];
    }));
  }
  return hits;
}

/** Words as phrases are compared: ignoring case, spacing and how accents are encoded. */
function comparable(words) {
  return words.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * Per tracker: {id, name, hits, phrases} sorted by hits, most first. `hits` counts the messages the tracker hit, as
 * analytics does; `phrases` is [{phrase, hits}], the phrases that matched them (as hitsByMessage picks them), most
 * first. `hits` is hitsByMessage(results), passed by a page that has it already.
 */
export function countsByTracker(results, hits = hitsByMessage(results)) {
  // one pass over the hits, each counted for its tracker: a pass per tracker over every hit took 0.6 s of a frozen tab
  // for 450 trackers on a call of 5,000 messages
  const perTracker = new Map();
  for (const [messageId, list] of hits) {
    for (const hit of list) {
      const key = hit.trackerId ?? hit.tracker;
      const counted = perTracker.get(key) ?? {messages: new Set(), phrases: new Map()};
      counted.messages.add(messageId);
      counted.phrases.set(hit.phrase, (counted.phrases.get(hit.phrase) ?? 0) + 1);
      perTracker.set(key, counted);
    }
  }
  return (results ?? []).flatMap(tracker => {
    const counted = perTracker.get(tracker.id ?? tracker.name);
    return counted ? [{id: tracker.id, name: tracker.name, hits: counted.messages.size,
      phrases: [...counted.phrases].map(([phrase, count]) => ({phrase, hits: count}))
        .sort((a, b) => b.hits - a.hits || a.phrase.localeCompare(b.phrase))}] : [];
  }).sort((a, b) => b.hits - a.hits || a.name.localeCompare(b.name));
}

// trackers named on a message before "+N more trackers": in an account of 450 trackers, where the trackers of a
// topic differ by region, one sentence fired 45 of them and its chips took 1,500 px of a call's page (and of Try it)
const HITS_SHOWN = 6;

/**
 * The hits of one message as a list: tracker, phrase, score, how it matched (with the words said, when a literal hit
 * is another form of the phrase), and the other phrases that came close. thresholds: Map(trackerId → the threshold
 * the tracker cleared), where the service explained its decision (Try it): the hit then reads "score 0.79 / threshold
 * 0.75", as its near misses do, so how close it came to not firing is seen beside them. The first HITS_SHOWN are drawn,
 * the others behind "+N more trackers".
 */
export function hitList(hits, testid, thresholds = new Map()) {
  const chip = hit => h('li', {class: 'hit', testid},
    h('strong', {}, hit.tracker), ' ', `“${hit.phrase}”`, ' ',
    h('span', {class: 'score'}, thresholds.has(hit.trackerId) ? scoreAndThreshold(hit.score, thresholds.get(hit.trackerId))
      : `score ${score(hit.score)}`),
    hit.literal ? ' · literal' : ' · by meaning',
    // a trainer reading "literal" looks for the phrase in the message: the words said are named when they differ
    hit.said ? `, said as “${hit.said}”` : null,
    hit.also?.length ? h('details', {class: 'also'},
      h('summary', {}, `+${hit.also.length} similar`),
      h('p', {class: 'hint'}, `Also within the threshold of “${hit.tracker}”, not counted as hits:`),
      h('ul', {}, hit.also.map(other => h('li', {}, `“${other.phrase}” `, h('span', {class: 'score'}, score(other.score)),
        other.literal ? ` · literal${other.said ? `, said as “${other.said}”` : ''}` : null)))) : null);
  const list = h('ul', {class: 'hits'}, hits.slice(0, HITS_SHOWN).map(chip));
  if (hits.length > HITS_SHOWN) {
    const rest = hits.slice(HITS_SHOWN);
    // the others are drawn when asked for; the button goes, so the focus moves to the first of them
    const more = h('li', {class: 'more-hits'}, h('button', {type: 'button', class: 'small', testid: `${testid}-more`, onclick: () => {
      const chips = rest.map(chip);
      more.replaceWith(...chips);
      chips[0].tabIndex = -1;
      chips[0].focus();
    }}, `+${rest.length} more trackers`));
    list.append(more);
  }
  return list;
}

/**
 * What the numbers of a hit mean, said once above the messages that show them: "score 0.81 / threshold 0.69" was left
 * to the user to guess (until 2026-11-29). withThresholds: the hits and near misses name their threshold (Try it).
 */
export function scoreHint(withThresholds) {
  return h('p', {class: 'hint', testid: 'score-hint'}, 'Score: how close the words are to the phrase named, from 0 to 1 '
    + '(1.00 when it was said as written: “literal”).'
    + (withThresholds ? ' A tracker fires when its score reaches its threshold; near misses came close, and say why they '
      + 'did not fire.' : ''));
}

/** The places to highlight in a message for its hits (each literal phrase of a hit, not only the one on its chip). */
export function hitSpans(hits, label) {
  return hits.flatMap(hit => (hit.spans ?? [hit]).map(span => ({start: span.start, end: span.end, label: label(hit, span)})));
}
