// Try it: paste text or a short conversation, see what fires and what nearly did (POST /v1/match with explain).
import {call, problemText} from './api.js';
import {h, fill, field, showError, highlighted, score, scoreAndThreshold, plural, pageProblem, whileBusy, byName, bringIntoView} from './dom.js';
import {parseConversation, hitsByMessage, hitList, hitSpans, problemsByLine, scoreHint} from './messages.js';
import {keepDrafted} from './nav.js';
import {containsSearched} from './pagedlist.js';

export const SPEAKER_HINT = 'One message per line. A line that starts with a name and a colon says who speaks: one to four words, '
  + 'the first with a capital letter (“Ann:”, “Ann Lee:”, “Speaker 2:”); “Agent:” and “Customer:” also set the role. '
  + 'Labels such as “Note:”, “PS:” or “FYI:” stay part of the text.';

// from how many trackers the choice of one has a box to find it by part of its name: in a list of 500 a browser finds
// an option only by its first letters, typed quickly, and a phone shows a wheel of 500 names
const FIND_FROM = 20;

/**
 * A box that narrows the choice of tracker to the names holding what is typed ("388" finds "Refund US 388"), saying
 * how many do. The tracker chosen stays in the choice even when its name does not match, so narrowing never changes
 * what is tried.
 */
function trackerFinder(select, options) {
  const status = h('p', {class: 'hint', id: 'try-find-status', 'aria-live': 'polite', testid: 'try-tracker-found'});
  const box = field('Find a tracker to try', h('input', {type: 'search', testid: 'try-tracker-search',
    placeholder: 'Part of its name', 'aria-describedby': 'try-find-status', oninput: () => {
      const query = box.input.value.trim();
      const chosen = select.value;
      const matching = options.filter(option => !query || containsSearched(option.textContent, query));
      const kept = options.filter(option => matching.includes(option) || option.value === chosen);
      // the first option, "All my trackers", stays; Chromium may select another option while they are replaced
      select.replaceChildren(select.options[0], ...kept);
      select.value = chosen;
      status.textContent = query ? `${matching.length} of ${options.length} trackers match “${box.input.value.trim()}”`
        + (matching.length ? '; choose one under “Trackers to try”.' : '.') : '';
    }}));
  box.input.setAttribute('aria-describedby', 'try-find-status');
  box.row.append(status);
  return box.row;
}

export async function render(page) {
  fill(page, h('h1', {}, 'Try it'), h('p', {class: 'loading'}, 'Loading your trackers…'));
  const trackersResponse = await call('GET', '/v1/manage/trackers');
  if (!trackersResponse.ok) {
    if (trackersResponse.status !== 401) pageProblem(page, 'Try it', problemText(trackersResponse), {retry: () => render(page)});
    return;
  }
  const trackers = trackersResponse.body.trackers;
  if (trackers.length === 0) {
    // with nothing to run, "No tracker fired" would read as a verdict on the text
    fill(page, h('h1', {}, 'Try it'),
      h('p', {class: 'empty', testid: 'try-no-trackers'}, 'You have no trackers yet, so there is nothing to try. ',
        h('a', {href: '#/trackers/new'}, 'Create a tracker'), ' first, or import some on the trackers page.'));
    return;
  }

  const text = field('Text or conversation', h('textarea', {rows: 8, testid: 'try-text',
    placeholder: 'Ann: How much does it cost for ten seats?\nBob: I can send you our pricing plans.'}), SPEAKER_HINT);
  // by name, as the trackers page lists them: with 120 trackers, creation order hid the one the user looked for
  const options = [...trackers].sort(byName).map(t => h('option', {value: t.id}, t.name));
  const which = field('Trackers to try', h('select', {testid: 'try-tracker'},
    h('option', {value: ''}, `All my trackers (${trackers.length})`), options));
  // what was typed survives leaving the page, a reload and a sign-in
  keepDrafted('try', {text: text.input, tracker: which.input});
  if (which.input.selectedIndex < 0) which.input.value = '';
  const finder = trackers.length > FIND_FROM ? trackerFinder(which.input, options) : null;
  const run = h('button', {type: 'submit', class: 'primary', testid: 'try-run'}, 'Try it');
  const result = h('section', {class: 'try-result', 'aria-live': 'polite', 'aria-label': 'Result', testid: 'try-result'});
  // a problem with the text is shown at the box until the text changes
  text.input.addEventListener('input', () => showError(text, []));

  fill(page,
    h('h1', {}, 'Try it'),
    h('p', {class: 'hint'}, 'Nothing is stored: this runs your trackers on the text and shows what they find.'),
    h('form', {class: 'card', novalidate: true, onsubmit: async event => {
      event.preventDefault();
      const typed = text.input.value;
      const messages = parseConversation(typed);
      if (messages.length === 0) {
        refused(['Enter some text to try.']);
        return;
      }
      showError(text, []);
      fill(result, h('p', {class: 'loading'}, 'Matching…'));
      let wasRefused = false;
      const tried = which.input.value ? trackers.filter(t => t.id === which.input.value) : trackers;
      await whileBusy(run, () => tryMessages(result, messages, which.input.value ? [{id: which.input.value}] : undefined,
        response => {
          wasRefused = true;
          refused(problemsByLine(response, typed));
        }, tried));
      // the results start under the button, below the fold on a phone (and at 1280 × 657 only their heading showed):
      // they are brought up, the button kept in sight; a refusal is at the box, which has the focus
      if (!wasRefused) bringIntoView(result, run);
    }}, text.row, finder, which.row, h('div', {class: 'actions'}, run)),
    result);

  // what is wrong with the text, at the box (announced, tied to it by aria-describedby) rather than as a result
  function refused(problems) {
    fill(result);
    showError(text, problems);
    text.error.setAttribute('role', 'alert');
    text.input.focus();
  }
}

/**
 * Runs /v1/match with explanations, falling back to the plain call where the server has no explain option.
 * refused(response): what to do with the service's refusal of the messages themselves (400, 413), instead of
 * showing it as the result.
 */
export async function tryMessages(result, messages, trackers, refused, definitions = []) {
  const request = {messages, explain: true};
  if (trackers) request.trackers = trackers;
  let response = await call('POST', '/v1/match', request);
  if (response.status === 400 && (response.body?.errors ?? []).some(e => e.field === 'explain')) {
    delete request.explain;
    response = await call('POST', '/v1/match', request);
  }
  if (!response.ok) {
    if (refused && (response.status === 400 || response.status === 413)) refused(response);
    else if (response.status !== 401) fill(result, h('p', {class: 'problem', role: 'alert'}, problemText(response)));
    return;
  }
  const plain = Array.isArray(response.body);
  const results = plain ? response.body : response.body.trackers;
  const explanations = plain ? null : new Map((response.body.explanations ?? []).map(e => [e.messageId, e.candidates ?? []]));
  const hits = hitsByMessage(results, id => messages.find(m => m.id === id)?.payload.content);
  // what a user counts is trackers firing on messages, one chip each (hitsByMessage keeps one hit per tracker and
  // message, its other phrases as "similar")
  const firings = [...hits.values()].reduce((sum, list) => sum + list.length, 0);
  const firedMessages = [...hits.values()].filter(list => list.length > 0).length;

  // a window in seconds is met only by messages with times (matching.md, "Tracker conditions": a message without
  // times is outside it), and pasted lines have none: said once, plainly, rather than left to "outside the window"
  const timed = new Map(definitions.filter(t => Number.isFinite(t.window?.seconds)).map(t => [t.id, t]));
  const untimed = [...timed.values()].sort(byName);
  fill(result,
    h('h2', {testid: 'try-summary'}, firings === 0 ? 'No tracker fired'
      : `${plural(firings, 'tracker hit')} in ${plural(firedMessages, 'message')}`),
    firings || [...explanations?.values() ?? []].some(candidates => candidates.some(c => !c.fired)) ? scoreHint(!plain) : null,
    untimed.length ? h('p', {class: 'notice', testid: 'try-untimed'}, untimed.length === 1
      ? `“${untimed[0].name}” counts only ${windowWords(untimed[0].window)} of a conversation. Pasted text has no times, so `
        + 'it cannot fire here. Try it on a transcript with times (a WebVTT or SRT file) on Conversations.'
      : `${untimed.slice(0, 3).map(t => `“${t.name}”`).join(', ')}${untimed.length > 3 ? ` and ${untimed.length - 3} more` : ''} `
        + 'count only the first or last seconds of a conversation. Pasted text has no times, so they cannot fire here. '
        + 'Try them on a transcript with times (a WebVTT or SRT file) on Conversations.') : null,
    h('ol', {class: 'messages'}, messages.map(message => {
      const messageHits = hits.get(message.id) ?? [];
      const candidates = explanations?.get(message.id) ?? [];
      const nearMisses = candidates.filter(c => !c.fired);
      const cleared = new Map(candidates.filter(c => c.fired && Number.isFinite(c.threshold)).map(c => [c.trackerId, c.threshold]));
      return h('li', {class: 'message', dataset: {messageId: message.id}},
        message.from ? h('span', {class: 'speaker'}, message.from.name) : null,
        h('p', {class: 'text'}, highlighted(message.payload.content,
          hitSpans(messageHits, (hit, span) => `${hit.tracker}: “${span.phrase}” (${score(hit.score)})`))),
        messageHits.length ? hitList(messageHits, 'try-hit', cleared) : null,
        nearMisses.length ? h('details', {class: 'near-misses', testid: 'try-near-misses'},
          h('summary', {}, `${nearMisses.length} near ${nearMisses.length === 1 ? 'miss' : 'misses'}`),
          h('ul', {}, nearMisses.map(c => h('li', {testid: 'try-near-miss'},
            h('strong', {}, c.name), ' ', c.phrase ? `“${c.phrase}” ` : '',
            h('span', {class: 'score'}, scoreAndThreshold(c.score, c.threshold)),
            c.reason ? ` · ${reasonText(c, timed.get(c.trackerId))}` : '',
            // what the message was taken for, so the user sees which phrase to add
            c.everydayTalk ? `: “${c.everydayTalk.text}” (${score(c.everydayTalk.score)})` : '')))) : null);
    })),
    plain ? h('p', {class: 'hint', testid: 'try-no-explain'}, 'This server does not explain near misses yet.') : null);
}

const REASONS = {
  'below-threshold': 'below the threshold',
  excluded: 'excluded by an exclude phrase',
  speaker: 'said by the other speaker',
  window: 'outside the tracker\'s window',
  literal: 'literal match',
  'above-threshold': 'above the threshold',
  'not-chosen': 'another tracker was chosen for these words',
  uncertain: 'the tracker was not sure enough',
  'negative-example': 'a sentence you marked as not matching is closer',
  'everyday-talk': 'closer to everyday talk than to the tracker',
};

/** "the first 60 seconds", "the last 30 seconds": a tracker's window in seconds, in words. */
function windowWords(window) {
  return `the ${window.anchor === 'end' ? 'last' : 'first'} ${plural(window.seconds, 'second')}`;
}

/** timed: the candidate's tracker when its window is in seconds, which pasted text (without times) never meets. */
function reasonText(candidate, timed) {
  if (candidate.reason === 'window' && timed) {
    return `outside the tracker's window: it counts only ${windowWords(timed.window)}, and pasted text has no times`;
  }
  // the tracker the words went to instead: it may not have fired either (its own line says why), so the page does
  // not say it was chosen or fired
  if (candidate.reason === 'not-chosen' && candidate.chosenInstead?.name) {
    return `these words read more like “${candidate.chosenInstead.name}”`;
  }
  return REASONS[candidate.reason] ?? candidate.reason;
}
