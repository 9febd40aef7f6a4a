// Try it: paste text or a short conversation, see what fires and what nearly did (POST /v1/match with explain).
import {call, problemText} from './api.js';
import {h, fill, field, highlighted, score} from './dom.js';
import {parseConversation, hitsByMessage} from './messages.js';

const state = {text: '', tracker: ''};

export async function render(main) {
  const trackersResponse = await call('GET', '/v1/manage/trackers');
  if (!trackersResponse.ok) return;
  const trackers = trackersResponse.body.trackers;

  const text = field('Text or conversation', h('textarea', {rows: 8, testid: 'try-text',
    placeholder: 'Ann: How much does it cost for ten seats?\nBob: I can send you our pricing plans.'}),
    'One message per line. Start a line with “Name:” to say who speaks (“Agent:” and “Customer:” also set the role).');
  text.input.value = state.text;
  const which = field('Trackers to try', h('select', {testid: 'try-tracker'},
    h('option', {value: ''}, `All my trackers (${trackers.length})`),
    trackers.map(t => h('option', {value: t.id}, t.name))));
  which.input.value = state.tracker;
  const run = h('button', {type: 'submit', class: 'primary', testid: 'try-run'}, 'Try it');
  const result = h('section', {class: 'try-result', 'aria-live': 'polite', 'aria-label': 'Result', testid: 'try-result'});

  fill(main,
    h('h1', {}, 'Try it'),
    h('p', {class: 'hint'}, 'Nothing is stored: this runs your trackers on the text and shows what they find.'),
    h('form', {class: 'card', novalidate: true, onsubmit: async event => {
      event.preventDefault();
      state.text = text.input.value;
      state.tracker = which.input.value;
      const messages = parseConversation(text.input.value);
      if (messages.length === 0) {
        fill(result, h('p', {class: 'problem', role: 'alert'}, 'Enter some text to try.'));
        text.input.focus();
        return;
      }
      run.disabled = true;
      fill(result, h('p', {class: 'loading'}, 'Matching…'));
      await tryMessages(result, messages, which.input.value ? [{id: which.input.value}] : undefined);
      run.disabled = false;
    }}, text.row, which.row, h('div', {class: 'actions'}, run)),
    result);
  text.input.focus();
}

/** Runs /v1/match with explanations, falling back to the plain call where the server has no explain option. */
export async function tryMessages(result, messages, trackers) {
  const request = {messages, explain: true};
  if (trackers) request.trackers = trackers;
  let response = await call('POST', '/v1/match', request);
  if (response.status === 400 && (response.body?.errors ?? []).some(e => e.field === 'explain')) {
    delete request.explain;
    response = await call('POST', '/v1/match', request);
  }
  if (!response.ok) {
    if (response.status !== 401) fill(result, h('p', {class: 'problem', role: 'alert'}, problemText(response)));
    return;
  }
  const plain = Array.isArray(response.body);
  const results = plain ? response.body : response.body.trackers;
  const explanations = plain ? null : new Map((response.body.explanations ?? []).map(e => [e.messageId, e.candidates ?? []]));
  const hits = hitsByMessage(results, id => messages.find(m => m.id === id)?.payload.content);
  const hitCount = [...hits.values()].reduce((sum, list) => sum + list.length, 0);
  // what a user counts is trackers firing on messages; each may match several of its phrases
  const firings = [...hits.values()].reduce((sum, list) => sum + new Set(list.map(hit => hit.tracker)).size, 0);
  const firedMessages = [...hits.values()].filter(list => list.length > 0).length;
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  fill(result,
    h('h2', {testid: 'try-summary'}, hitCount === 0 ? 'No tracker fired'
      : `${plural(firings, 'tracker hit', 'tracker hits')} in ${plural(firedMessages, 'message', 'messages')}`
        + ` (${plural(hitCount, 'matching phrase', 'matching phrases')})`),
    h('ol', {class: 'messages'}, messages.map(message => {
      const messageHits = hits.get(message.id) ?? [];
      const nearMisses = (explanations?.get(message.id) ?? []).filter(c => !c.fired);
      return h('li', {class: 'message', dataset: {messageId: message.id}},
        message.from ? h('span', {class: 'speaker'}, message.from.name) : null,
        h('p', {class: 'text'}, highlighted(message.payload.content,
          messageHits.map(hit => ({...hit, label: `${hit.tracker}: “${hit.phrase}” (${score(hit.score)})`})))),
        messageHits.length ? h('ul', {class: 'hits'}, messageHits.map(hit => h('li', {class: 'hit', testid: 'try-hit'},
          h('strong', {}, hit.tracker), ' ', `“${hit.phrase}”`, ' ',
          h('span', {class: 'score'}, `score ${score(hit.score)}`), hit.offset >= 0 ? ' · literal' : ' · by meaning'))) : null,
        nearMisses.length ? h('details', {class: 'near-misses', testid: 'try-near-misses'},
          h('summary', {}, `${nearMisses.length} near ${nearMisses.length === 1 ? 'miss' : 'misses'}`),
          h('ul', {}, nearMisses.map(c => h('li', {testid: 'try-near-miss'},
            h('strong', {}, c.name), ' ', c.phrase ? `“${c.phrase}” ` : '',
            h('span', {class: 'score'}, `score ${score(c.score)} / threshold ${score(c.threshold)}`),
            c.reason ? ` · ${reasonText(c.reason)}` : '')))) : null);
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
};

function reasonText(reason) {
  return REASONS[reason] ?? reason;
}
