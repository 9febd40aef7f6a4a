// Turning what a user pastes into the messages of the API, and hits into highlights.

/**
 * One message per non-blank line; a line "Name: text" names its speaker (a name is at most 40 characters and has
 * no sentence punctuation, so "Note: the price" stays text only when the text before the colon looks like one).
 * A line prefixed "Agent:" or "Customer:" also carries that role.
 */
export function parseConversation(text) {
  const lines = text.split('\n').map(line => line.trim()).filter(Boolean);
  return lines.map((line, index) => {
    const match = /^([^:.!?]{1,40}):\s+(.+)$/u.exec(line);
    const message = {id: `m${index + 1}`, payload: {content: match ? match[2] : line}};
    if (match) {
      const name = match[1].trim();
      message.from = {name};
      const role = name.toLowerCase();
      if (role === 'agent' || role === 'customer') message.from.role = role;
    }
    return message;
  });
}

/**
 * The hits of a results array (the Conversation API / /v1/match shape) grouped by message id:
 * Map(messageId → [{start, end, tracker, phrase, score, offset}]).
 */
export function hitsByMessage(results, textOf) {
  const hits = new Map();
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
        const list = hits.get(ref.id) ?? [];
        list.push({start, end, tracker: tracker.name, trackerId: tracker.id, phrase: match.value, score: ref.score, offset: ref.offset});
        hits.set(ref.id, list);
      }
    }
  }
  return hits;
}

/**
 * Per tracker: {id, name, hits, phrases} sorted by hits, most first. `hits` counts the messages the tracker hit, as
 * analytics does (a message matching two of its phrases is one hit); `phrases` counts each matching phrase.
 */
export function countsByTracker(results) {
  return (results ?? []).map(tracker => {
    const refs = (tracker.matches ?? []).flatMap(match => match.messageRefs ?? []);
    return {id: tracker.id, name: tracker.name, hits: new Set(refs.map(ref => ref.id)).size, phrases: refs.length};
  }).sort((a, b) => b.hits - a.hits || a.name.localeCompare(b.name));
}
