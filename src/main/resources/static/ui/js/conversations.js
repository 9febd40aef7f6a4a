// Conversations: upload a transcript (JSON, WebVTT, SRT or plain "Name: text" lines), follow its job, read it
// with its hits; the list of past conversations.
import {call, isMissingRoute, problemText} from './api.js';
import {h, fill, field, highlighted, formatDate, score} from './dom.js';
import {parseConversation, hitsByMessage, countsByTracker} from './messages.js';

const RECENT_KEY = 'opentrackers.recentConversations';
const PAGE_SIZE = 20;

function rememberRecent(entry) {
  const recent = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]').filter(r => r.id !== entry.id);
  recent.unshift(entry);
  sessionStorage.setItem(RECENT_KEY, JSON.stringify(recent.slice(0, 50)));
}

/** What to send for a transcript: {contentType, raw} or a JSON body; or {problem}. */
export function transcriptRequest(text, fileName, name) {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  const lower = (fileName ?? '').toLowerCase();
  if (lower.endsWith('.vtt') || trimmed.startsWith('WEBVTT')) return {kind: 'WebVTT', raw: trimmed, contentType: 'text/vtt'};
  if (lower.endsWith('.srt') || /^\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s+-->/.test(trimmed)) {
    return {kind: 'SRT', raw: trimmed, contentType: 'application/x-subrip'};
  }
  if (lower.endsWith('.json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      return {problem: `This is not valid JSON: ${error.message}`};
    }
    const body = Array.isArray(parsed) ? {messages: parsed} : parsed;
    if (name && body && typeof body === 'object' && !body.name) body.name = name;
    return {kind: 'JSON', json: body};
  }
  const messages = parseConversation(trimmed).map(({payload, from}) => (from ? {payload, from} : {payload}));
  if (messages.length === 0) return {problem: 'Choose a file or paste a transcript first.'};
  return {kind: 'text lines', json: name ? {name, messages} : {messages}};
}

export async function renderList(main) {
  const file = field('Transcript file', h('input', {type: 'file', accept: '.json,.vtt,.srt,application/json,text/vtt,application/x-subrip',
    testid: 'upload-file'}), 'JSON (the body of POST /v1/process/text, or an array of its messages), WebVTT (.vtt) or SRT (.srt).');
  const pasted = field('…or paste it here', h('textarea', {rows: 6, testid: 'upload-text',
    placeholder: 'Ann: How much does it cost?\nBob: Our pricing plans start at ten dollars.'}),
    'WebVTT, SRT, JSON, or one message per line as “Name: text”.');
  const name = field('Name (optional)', h('input', {testid: 'upload-name'}));
  const submit = h('button', {type: 'submit', class: 'primary', testid: 'upload-submit'}, 'Upload and track');
  const status = h('div', {class: 'job-status', 'aria-live': 'polite', testid: 'upload-status'});
  const list = h('div', {class: 'conversation-list', testid: 'conversation-list'});

  fill(main,
    h('h1', {}, 'Conversations'),
    h('form', {class: 'card', novalidate: true, onsubmit: async event => {
      event.preventDefault();
      const chosen = file.input.files[0];
      const text = chosen ? await chosen.text() : pasted.input.value;
      const request = transcriptRequest(text, chosen?.name, name.input.value.trim());
      if (request.problem) {
        fill(status, h('p', {class: 'problem', role: 'alert'}, request.problem));
        return;
      }
      const conversationName = name.input.value.trim();
      const query = conversationName && request.raw !== undefined ? `?name=${encodeURIComponent(conversationName)}` : '';
      submit.disabled = true;
      const response = request.raw !== undefined
        ? await call('POST', `/v1/process/text${query}`, {raw: request.raw, contentType: request.contentType})
        : await call('POST', '/v1/process/text', request.json);
      if (!response.ok) {
        submit.disabled = false;
        if (response.status !== 401) {
          fill(status, h('div', {class: 'problem-box', role: 'alert', testid: 'upload-error'},
            h('p', {}, `The ${request.kind} transcript was refused: ${problemText(response)}`)));
        }
        return;
      }
      rememberRecent({id: response.body.conversationId, name: conversationName || chosen?.name || 'Pasted conversation',
        createdOn: new Date().toISOString()});
      await followJob(status, response.body.jobId, response.body.conversationId);
      submit.disabled = false;
    }}, file.row, pasted.row, name.row, h('div', {class: 'actions'}, submit), status),
    h('h2', {}, 'Past conversations'), list);
  loadPage(list, '');
}

/** Polls the job until it ends, drawing its progress; then opens the conversation. */
async function followJob(status, jobId, conversationId) {
  const bar = h('progress', {max: 1, value: 0, testid: 'job-progress', 'aria-label': 'Job progress'});
  const text = h('span', {testid: 'job-state'}, 'scheduled');
  fill(status, h('div', {class: 'progress'}, bar, text));
  for (;;) {
    const response = await call('GET', `/v1/job/${encodeURIComponent(jobId)}`);
    if (!response.ok) {
      if (response.status !== 401) fill(status, h('p', {class: 'problem', role: 'alert'}, problemText(response)));
      return;
    }
    const job = response.body;
    const progress = job.progress ?? {done: 0, total: 0};
    bar.max = Math.max(progress.total, 1);
    bar.value = job.status === 'completed' ? bar.max : progress.done;
    text.textContent = progress.total ? `${job.status.replace('_', ' ')}: ${progress.done} of ${progress.total} messages`
      : job.status.replace('_', ' ');
    if (job.status === 'completed') {
      location.hash = `#/conversations/${encodeURIComponent(conversationId)}`;
      return;
    }
    if (job.status === 'failed') {
      fill(status, h('p', {class: 'problem', role: 'alert', testid: 'job-failed'}, `The job failed: ${job.error ?? 'no reason given'}`));
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 400));
  }
}

async function loadPage(list, after) {
  const response = await call('GET', `/v1/conversations?limit=${PAGE_SIZE}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
  if (!response.ok && response.status === 401) return;
  if (!response.ok && !isMissingRoute(response)) {
    fill(list, h('p', {class: 'problem', role: 'alert'}, problemText(response)));
    return;
  }
  if (!response.ok) {
    // this server cannot list conversations yet: show those uploaded in this tab
    const recent = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]');
    fill(list, h('p', {class: 'hint', testid: 'conversation-list-unavailable'},
      'This server does not list past conversations yet; these are the ones uploaded in this tab.'),
      recent.length ? table(recent) : h('p', {class: 'empty'}, 'None yet.'));
    return;
  }
  const items = Array.isArray(response.body) ? response.body : response.body.conversations ?? [];
  const next = Array.isArray(response.body) ? null : response.body.next ?? response.body.after ?? null;
  const more = next ? h('button', {type: 'button', testid: 'conversations-more', onclick: () => {
    more.remove();
    const holder = h('div');
    list.append(holder);
    loadPage(holder, String(next));
  }}, 'Show older conversations') : null;
  if (after) list.append(table(items), more ?? '');
  else fill(list, items.length ? table(items) : h('p', {class: 'empty'}, 'No conversations yet.'), more);
}

function table(items) {
  return h('div', {class: 'scroll'}, h('table', {class: 'data'},
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Conversation'), h('th', {scope: 'col'}, 'Started'),
      h('th', {scope: 'col', class: 'number'}, 'Messages'), h('th', {scope: 'col', class: 'number'}, 'Hits'), h('th', {scope: 'col'}, 'Status'))),
    h('tbody', {}, items.map(c => h('tr', {testid: 'conversation-row'},
      h('td', {}, h('a', {href: `#/conversations/${encodeURIComponent(c.id)}`}, c.name || c.id)),
      h('td', {}, formatDate(c.startTime ?? c.createdOn)),
      h('td', {class: 'number'}, c.messageCount ?? ''),
      h('td', {class: 'number'}, c.hitCount ?? ''),
      h('td', {}, c.jobStatus ? c.jobStatus.replace('_', ' ') : c.source === 'streaming' ? 'streamed' : ''))))));
}

export async function renderConversation(main, id) {
  fill(main, h('p', {class: 'loading'}, 'Loading conversation…'));
  const [conversation, trackers] = await Promise.all([
    call('GET', `/v1/conversations/${encodeURIComponent(id)}`),
    call('GET', `/v1/conversations/${encodeURIComponent(id)}/trackers`),
  ]);
  if (!conversation.ok || !trackers.ok) {
    const failed = conversation.ok ? trackers : conversation;
    if (failed.status !== 401) fill(main, h('h1', {}, 'Conversation'), h('p', {class: 'problem', role: 'alert'}, problemText(failed)));
    return;
  }
  const messages = [];
  for (let after = 0; after !== null && after !== undefined;) {
    const page = await call('GET', `/v1/conversations/${encodeURIComponent(id)}/messages?after=${after}`);
    if (!page.ok) {
      if (page.status !== 401) fill(main, h('h1', {}, 'Conversation'), h('p', {class: 'problem', role: 'alert'}, problemText(page)));
      return;
    }
    messages.push(...page.body.messages);
    after = page.body.next;
  }
  const byId = new Map(messages.map(m => [m.id, m]));
  const hits = hitsByMessage(trackers.body, messageId => byId.get(messageId)?.text);
  const counts = countsByTracker(trackers.body);
  const info = conversation.body;

  fill(main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/conversations'}, '← Conversations')),
    h('h1', {}, info.name || 'Conversation'),
    h('p', {class: 'hint'}, [`${info.messageCount ?? messages.length} messages`, info.startTime ? `started ${formatDate(info.startTime)}` : null,
      `ID ${info.id}`].filter(Boolean).join(' · ')),
    h('div', {class: 'columns'},
      h('section', {class: 'card counts', 'aria-labelledby': 'counts-title'},
        h('h2', {id: 'counts-title'}, 'Hits per tracker'),
        counts.length ? h('table', {class: 'data', testid: 'tracker-counts'},
          h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Tracker'),
            h('th', {scope: 'col', class: 'number', title: 'Messages the tracker hit'}, 'Hits'),
            h('th', {scope: 'col', class: 'number', title: 'Matching phrases over those messages'}, 'Phrases'))),
          h('tbody', {}, counts.map(c => h('tr', {testid: 'tracker-count'}, h('td', {}, c.name),
            h('td', {class: 'number'}, String(c.hits)), h('td', {class: 'number'}, String(c.phrases))))))
          : h('p', {class: 'empty', testid: 'no-hits'}, 'No tracker fired in this conversation.')),
      h('section', {class: 'card transcript', 'aria-labelledby': 'transcript-title'},
        h('h2', {id: 'transcript-title'}, 'Transcript'),
        h('ol', {class: 'messages', testid: 'conversation-messages'}, messages.map(message => {
          const messageHits = hits.get(message.id) ?? [];
          return h('li', {class: 'message', testid: 'conversation-message'},
            message.from?.name || message.from?.userId ? h('span', {class: 'speaker'}, message.from.name ?? message.from.userId) : null,
            h('p', {class: 'text'}, highlighted(message.text, messageHits.map(hit => ({...hit, label: `${hit.tracker}: “${hit.phrase}”`})))),
            messageHits.length ? h('ul', {class: 'hits'}, messageHits.map(hit => h('li', {class: 'hit', testid: 'conversation-hit'},
              h('strong', {}, hit.tracker), ' ', `“${hit.phrase}”`, ' ', h('span', {class: 'score'}, `score ${score(hit.score)}`)))) : null);
        })))));
}
