// Conversations: upload a transcript (JSON, WebVTT, SRT or plain "Name: text" lines), follow its job, read it
// with its hits; the list of past conversations.
import {call, isMissingRoute, problemText, session} from './api.js';
import {h, fill, field, showError, highlighted, formatMinute, plural, pageProblem, notThere, toast, whileBusy, bringIntoView,
  noticeForNextPage, takeNotice, showNotice} from './dom.js';
import {parseConversation, hitsByMessage, countsByTracker, hitList, hitSpans, problemsByLine, scoreHint} from './messages.js';
import {keepDrafted, clearDraft, loadDraft, saveDraft, backLink, backHere} from './nav.js';
import {SPEAKER_HINT} from './try.js';
import {PAGE_SIZE, count, countLine, pager, selectionHeader, whereNotShown, bulkDeleteDialog, reportBulkDelete,
  toastBulkDelete, showTheOtherRows} from './pagedlist.js';

const RECENT_KEY = 'opentrackers.recentConversations';
// how long the search waits after a key before it asks the service: one request for a word typed, not one per letter
const SEARCH_PAUSE_MS = 250;
// the search, dates, page and ticks of the list of past conversations, kept for the tab and per account as drafts are
// (nav.js), as the tracker list keeps its own: back from a conversation, or after a reload, the list is where it was
const LIST_KEY = 'conversation-list';

function rememberRecent(entry) {
  const recent = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]').filter(r => r.id !== entry.id);
  recent.unshift(entry);
  sessionStorage.setItem(RECENT_KEY, JSON.stringify(recent.slice(0, 50)));
}

/** "Weekly sync.vtt" → "Weekly sync": a transcript file's name is the conversation's name unless the user gave one. */
export function nameFromFile(fileName) {
  return (fileName ?? '').replace(/\.[^.]+$/, '').trim();
}

/**
 * "Pasted conversation, Nov 28, 03:50 PM" (in the user's locale): the name of pasted text uploaded without one, which
 * was stored without a name and listed by its bare ID.
 */
export function pastedName(now = new Date()) {
  return `Pasted conversation, ${now.toLocaleString(undefined, {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'})}`;
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

// a job's status in words: the API's values ("completed", "in_progress") read as raw data in the list
const JOB_STATUS = {scheduled: 'Waiting to start', in_progress: 'In progress', completed: 'Completed', failed: 'Failed'};

function jobStatusWords(status) {
  return JOB_STATUS[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, ' ');
}

/** The links above a page's heading: where the user came from, if given, then the page's list. */
function breadcrumb(cameFrom, list) {
  return h('p', {class: 'breadcrumb'}, cameFrom, cameFrom ? ' · ' : null, list);
}

/**
 * The conversations an analytics figure counts (#/conversations?trackerId=…&from=…&to=…&tracker=<name>, the link of
 * its Conversations column): those in which the tracker hit, started in the range it counted, and nothing else on the
 * page, so that "which calls?" is answered where the question was asked.
 */
async function renderFiltered(page, query) {
  const filter = new URLSearchParams();
  for (const key of ['trackerId', 'from', 'to']) if (query.get(key)) filter.set(key, query.get(key));
  const tracker = query.get('tracker') || query.get('trackerId');
  const range = query.get('from') && query.get('to') ? countedDays(query.get('from'), query.get('to')) : null;
  const list = h('div', {class: 'past-conversations'}, h('p', {class: 'loading'}, 'Loading…'));
  fill(page,
    // from an analytics figure: back there first (its period with it), and the whole list beside it
    breadcrumb(backLink(query), h('a', {href: '#/conversations'}, backLink(query) ? 'All conversations' : '← All conversations')),
    h('h1', {}, 'Conversations'),
    h('p', {class: 'hint', testid: 'conversation-filter'}, [
      query.get('trackerId') ? `In which “${tracker}” hit` : 'All conversations',
      range ? `, started ${range} (UTC days, as analytics counts them)` : '',
      '. Hits counts every tracker’s hits in the conversation; open one to see where this tracker hit.'].join('')),
    list);
  // a conversation opened from this list offers the way back to Analytics too, as this list does (it offered only the
  // conversation list)
  const cameFrom = backLink(query) ? backHere(query.get('back'), query.get('backText')) : null;
  await pastConversations(list, {fixed: filter, cameFrom});
}

/** "21 Nov 2026 to 27 Nov 2026": the UTC days from `from` up to `to` (exclusive), as analytics says its range. */
function countedDays(from, to) {
  const day = time => new Date(time).toLocaleDateString(undefined, {timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric'});
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) return `${from} to ${to}`;
  return `${day(start)} to ${day(end - 1)}`;
}

export async function renderList(page, query = new URLSearchParams()) {
  if (query.get('trackerId') || query.get('from') || query.get('to')) return renderFiltered(page, query);
  const file = field('Transcript file', h('input', {type: 'file', accept: '.json,.vtt,.srt,application/json,text/vtt,application/x-subrip',
    testid: 'upload-file'}), 'A WebVTT (.vtt) or SRT (.srt) file of the call, as call and meeting recorders save transcripts, or a JSON '
      + 'transcript in the format your developers send to OpenTrackers.');
  const pasted = field('…or paste it here', h('textarea', {rows: 6, testid: 'upload-text',
    placeholder: 'Ann: How much does it cost?\nBob: Our pricing plans start at ten dollars.'}),
    `WebVTT, SRT, JSON, or one message per line. ${SPEAKER_HINT.replace(/^One message per line\. /, '')}`);
  const name = field('Name (optional)', h('input', {testid: 'upload-name'}), 'Left empty, a file gives its name, and pasted text is named “Pasted conversation” with the day and time.');
  const restored = keepDrafted('upload', {text: pasted.input, name: name.input});
  const submit = h('button', {type: 'submit', class: 'primary', testid: 'upload-submit'}, 'Upload and track');
  const status = h('div', {class: 'job-status', 'aria-live': 'polite', testid: 'upload-status'});
  const list = h('div', {class: 'past-conversations'}, h('p', {class: 'loading'}, 'Loading…'));
  const clearFile = h('button', {type: 'button', class: 'small', testid: 'upload-clear-file', hidden: true, onclick: () => {
    file.input.value = '';
    syncFile();
    file.input.focus();
  }}, 'Remove the file');
  file.row.insertBefore(clearFile, file.error);
  function syncFile() {
    clearFile.hidden = !file.input.files[0];
    if (!file.input.files[0]) showError(file, []);
  }
  file.input.addEventListener('change', syncFile);
  // the problem of a file chosen with text pasted is said at the file, and heard with Remove the file
  file.error.setAttribute('role', 'alert');
  clearFile.setAttribute('aria-describedby', file.error.id);
  // the service's problem with the pasted text stays at the box until the text changes
  pasted.error.setAttribute('role', 'alert');
  pasted.input.addEventListener('input', () => {
    showError(pasted, []);
    if (!pasted.input.value.trim()) showError(file, []);
  });

  // on a phone the upload form is behind a button (app.css .upload): drawn open above the list, it was 840 px tall, and
  // the list the user came back to (after a delete, from a conversation) started a screen and more below the top.
  // Open from the start when it holds a draft, so that what was typed is not hidden.
  const uploadToggle = h('button', {type: 'button', class: 'upload-toggle', 'aria-expanded': String(restored),
    'aria-controls': 'upload-form', testid: 'upload-open', onclick: () => {
      const open = uploadToggle.getAttribute('aria-expanded') !== 'true';
      uploadToggle.setAttribute('aria-expanded', String(open));
      form.classList.toggle('open', open);
    }}, 'Upload a conversation');
  const form = h('form', {class: `card upload${restored ? ' open' : ''}`, id: 'upload-form', novalidate: true,
    'aria-label': 'Upload a conversation', onsubmit: async event => {
      event.preventDefault();
      const chosen = file.input.files[0];
      if (chosen && pasted.input.value.trim()) {
        // one transcript per upload: say so rather than drop one of them silently
        // said at the file, beside Remove the file, which takes the focus: said under the button, it was below the
        // fold while the focus jumped to the file unexplained
        fill(status);
        showError(file, [h('span', {testid: 'upload-problem'},
          `You chose the file ${chosen.name} and pasted a transcript: upload one at a time. Remove the file, or empty the text box.`)]);
        clearFile.focus();
        bringIntoView(file.error, clearFile);
        return;
      }
      showError(file, []);
      const text = chosen ? await chosen.text() : pasted.input.value;
      const conversationName = name.input.value.trim() || (chosen ? nameFromFile(chosen.name) : pastedName());
      const request = transcriptRequest(text, chosen?.name, conversationName);
      if (request.problem) {
        fill(status, h('p', {class: 'problem', role: 'alert', testid: 'upload-problem'}, request.problem));
        (chosen ? file.input : pasted.input).focus();
        bringIntoView(status, chosen ? file.input : pasted.input);
        return;
      }
      const query = conversationName && request.raw !== undefined ? `?name=${encodeURIComponent(conversationName)}` : '';
      // the same upload pressed again after no answer came (a dropped connection: the service may have stored it) is
      // the same request, sent with the first try's key: the service answers with the first try's job instead of
      // storing the conversation twice (docs/jobs.md, "Sending a request again")
      const content = JSON.stringify([text, conversationName, request.contentType ?? 'application/json']);
      if (content !== attempt.content) attempt = {content, key: randomKey()};
      const keyed = {headers: {'Idempotency-Key': attempt.key}};
      await whileBusy(submit, async () => {
        const response = request.raw !== undefined
          ? await call('POST', `/v1/process/text${query}`, {raw: request.raw, contentType: request.contentType}, keyed)
          : await call('POST', '/v1/process/text', request.json, keyed);
        if (!response.ok) {
          if (!chosen && (response.status === 400 || response.status === 413)) {
            // pasted text: the problem goes where the text is, by the line of the box for plain lines
            fill(status);
            showError(pasted, request.kind === 'text lines' ? problemsByLine(response, text)
              : [`The ${request.kind} transcript was refused: ${problemText(response)}`]);
            pasted.input.focus();
          } else if (response.status !== 401) {
            fill(status, h('div', {class: 'problem-box', role: 'alert', testid: 'upload-error'},
              h('p', {}, `The ${request.kind} transcript was refused: ${problemText(response)}`)));
            bringIntoView(status, submit);
          }
          return;
        }
        clearDraft('upload');
        // answered: the same text uploaded again from now on is a new conversation, as the user asks
        attempt = {content: null, key: null};
        // pasted JSON may name itself; that name is kept
        const shownName = (typeof request.json?.name === 'string' && request.json.name.trim()) || conversationName;
        rememberRecent({id: response.body.conversationId, name: shownName, createdOn: new Date().toISOString()});
        await followJob(status, response.body.jobId, response.body.conversationId, shownName, submit);
      });
    }}, file.row, pasted.row, name.row, h('div', {class: 'actions'}, submit), status);
  fill(page,
    h('div', {class: 'page-head'}, h('h1', {}, 'Conversations'), h('div', {class: 'actions'}, uploadToggle)),
    form, h('h2', {}, 'Past conversations'), list);
  syncFile();
  // the empty list's way to the form: open it (behind its button on a phone) and start at its first field
  await pastConversations(list, {upload: () => {
    uploadToggle.setAttribute('aria-expanded', 'true');
    form.classList.add('open');
    form.scrollIntoView({block: 'start'});
    file.input.focus({preventScroll: true});
  }});
}

// the upload last sent and its Idempotency-Key, kept until it is answered
let attempt = {content: null, key: null};

/** 128 random bits in hex: crypto.randomUUID() exists only on https and localhost pages, this everywhere. */
function randomKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), byte => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Polls the job until it ends, drawing its progress; then opens the conversation if the user is still on the
 * upload page, or says it is ready (with a link) wherever the user went meanwhile.
 */
async function followJob(status, jobId, conversationId, name, submit) {
  const bar = h('progress', {max: 1, value: 0, testid: 'job-progress', 'aria-label': 'Job progress'});
  const text = h('span', {testid: 'job-state'}, 'scheduled');
  fill(status, h('div', {class: 'progress'}, bar, text));
  // under the button, below the fold with a long transcript pasted: all the user saw was a greyed button
  bringIntoView(status, submit);
  const link = {href: `#/conversations/${encodeURIComponent(conversationId)}`, text: 'Open it'};
  for (;;) {
    if (!session()) return; // signed out meanwhile: nothing to tell, and no one to ask
    const response = await call('GET', `/v1/job/${encodeURIComponent(jobId)}`);
    if (!response.ok) {
      if (response.status !== 401) fill(status, h('p', {class: 'problem', role: 'alert'}, problemText(response)));
      return;
    }
    const job = response.body;
    const progress = job.progress ?? {done: 0, total: 0};
    bar.max = Math.max(progress.total, 1);
    bar.value = job.status === 'completed' ? bar.max : progress.done;
    text.textContent = progress.total ? `${jobStatusWords(job.status)}: ${progress.done} of ${plural(progress.total, 'sentence')}`
      : jobStatusWords(job.status);
    if (job.status === 'completed') {
      // status is on screen only while the user stays on this very upload page
      if (status.isConnected) location.hash = link.href;
      else toast(`“${name}” is processed.`, {link});
      return;
    }
    if (job.status === 'failed') {
      fill(status, h('p', {class: 'problem', role: 'alert', testid: 'job-failed'}, `The job failed: ${job.error ?? 'no reason given'}`));
      if (!status.isConnected) toast(`The job of “${name}” failed: ${job.error ?? 'no reason given'}`);
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 400));
  }
}

function listView() {
  const saved = loadDraft(LIST_KEY) ?? {};
  const day = value => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');
  return {query: typeof saved.query === 'string' ? saved.query : '', from: day(saved.from), to: day(saved.to),
    page: Number.isInteger(saved.page) && saved.page >= 1 ? saved.page : 1,
    // the conversations ticked for deleting, with what the question and the count of those not on screen need of each
    // (its name, and when it started, for the search and the days): kept across pages and searches, as the tracker
    // list keeps its own
    selected: Array.isArray(saved.selected) ? saved.selected.filter(c => typeof c?.id === 'string') : []};
}

/** "3 Nov 2026": a day the user chose, in their words. */
function shownDay(day) {
  return new Date(`${day}T00:00`).toLocaleDateString(undefined, {day: 'numeric', month: 'short', year: 'numeric'});
}

/** The instant a day the user chose starts, in the browser's time zone (as the list shows when each started); `days` later. */
function dayStart(day, days = 0) {
  const start = new Date(`${day}T00:00`);
  start.setDate(start.getDate() + days);
  return start.toISOString();
}

/**
 * The account's past conversations, newest first, as the tracker list is drawn (docs/ui.md, "Conversations"): pages of
 * 50 with a count line, a search by name or ID and by the days they started, and ticks to delete several. Each page,
 * its count and the search are the service's (GET /v1/conversations with q, from, to, offset and include=total), so an
 * account of 100,000 conversations is counted and searched as soon as one of 50 (it used to read the whole list first,
 * 200 at a time). `fixed`: the filter of an analytics figure's calls, listed alone with the same pages and count,
 * without the search, the days and the ticks.
 */
async function pastConversations(holder, {fixed = null, cameFrom = null, upload = null} = {}) {
  const view = fixed ? {query: '', from: '', to: '', page: 1, selected: []} : listView();
  // the ids ticked (as the selection header keeps them), and the row of each as it was when ticked
  const selected = new Set(view.selected.map(c => c.id));
  const tickedRows = new Map(view.selected.map(c => [c.id, c]));
  const ticked = () => [...selected].map(id => tickedRows.get(id) ?? {id});
  const remember = () => {
    for (const conversation of shown.conversations) if (selected.has(conversation.id)) tickedRows.set(conversation.id, conversation);
    for (const id of [...tickedRows.keys()]) if (!selected.has(id)) tickedRows.delete(id);
    if (!fixed) saveDraft(LIST_KEY, {...view, selected: ticked()});
  };
  let searchPause = null;
  const refilter = () => {
    view.page = 1; // what the search found, from its first row
    remember();
    clearTimeout(searchPause);
    searchPause = setTimeout(() => show(), SEARCH_PAUSE_MS);
  };
  const search = h('input', {type: 'search', id: 'conversation-search', value: view.query, testid: 'conversation-search',
    placeholder: 'Name or start of ID', oninput: () => {
      view.query = search.value;
      refilter();
    }});
  // spoken: the visible "to" beside "Started from" reads as one phrase on screen, but alone to a screen reader
  const dateInput = (key, label, spoken) => {
    const input = h('input', {type: 'date', id: `conversation-${key}`, value: view[key], testid: `conversation-${key}`,
      'aria-label': spoken, onchange: () => {
        view[key] = input.value;
        refilter();
      }});
    return {input, row: h('div', {class: 'field inline'}, h('label', {for: input.id}, label), input)};
  };
  const from = dateInput('from', 'Started from', 'Started from');
  const to = dateInput('to', 'to', 'Started to');
  const countText = h('p', {class: 'hint', 'aria-live': 'polite', testid: 'conversation-count'});
  const problem = h('p', {class: 'problem', role: 'alert', testid: 'conversation-list-problem', hidden: true});
  const list = h('div', {class: 'conversation-list', testid: 'conversation-list'}, h('p', {class: 'loading'}, 'Loading…'));
  const pagesAbove = pager('Pages of the conversation list, above it', 'conversation-pages-top', goToPage);
  const pagesBelow = pager('Pages of the conversation list', 'conversation-pages', goToPage);
  const selection = selectionHeader({idPrefix: 'conversation', selected, boxes: rowBoxes, notShown: selectedNotShown,
    changed: remember, onDelete: askToDeleteSelected});
  // what a delete of several did, when anything was left undone (a success is a notice, as a single delete's is)
  const bulkResult = h('div', {class: 'bulk-result', tabindex: -1, testid: 'bulk-result', hidden: true});
  // what a delete on a conversation's page did, back from it ("Deleted “Weekly sync”."), in the same place
  const notice = fixed ? null : takeNotice();
  if (notice) showNotice(bulkResult, notice);
  const bulkDialog = bulkDeleteDialog({noun: 'conversation', nameOf,
    cost: 'Their messages and hits are deleted, and analytics and suggestions no longer count them; a job still '
      + 'processing one stops. Examples you labelled from their sentences stay. This cannot be undone.',
    starting: () => {
      fill(bulkResult);
      bulkResult.hidden = true;
    },
    deleteOne: conversation => call('DELETE', `/v1/conversations/${encodeURIComponent(conversation.id)}`),
    deleted: conversation => {
      selected.delete(conversation.id);
      remember();
      const recent = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]').filter(r => r.id !== conversation.id);
      sessionStorage.setItem(RECENT_KEY, JSON.stringify(recent));
    },
    finished: showOutcome});
  // the page on screen: its conversations, how many the search finds and how many the account has; which request
  // it answers (an answer to an earlier one, the search typed on meanwhile, is dropped)
  let shown = {conversations: [], found: 0, total: 0};
  let asked = 0;
  // the rows drawn last, so that a page read again redraws the rows only when they change, and the focus on one of
  // them stays where it is
  let drawnIds = null;

  const first = await read();
  if (first !== true) {
    if (first) showUnavailable(holder, first);
    return;
  }
  // hidden while the account has no conversation: there is nothing to search
  const toolbar = fixed ? null : h('div', {class: 'toolbar', testid: 'conversation-toolbar'},
    h('div', {class: 'field inline'}, h('label', {for: search.id}, 'Search'), search), from.row, to.row);
  fill(holder,
    toolbar,
    h('div', {class: 'list-head'}, countText, pagesAbove.element), problem, fixed ? null : [bulkResult, selection.element],
    list, pagesBelow.element, fixed ? null : bulkDialog.element);
  draw();

  /** The filter of the list as the API takes it: the analytics figure's, or the search and the days. */
  function filterQuery() {
    if (fixed) return new URLSearchParams(fixed);
    const query = new URLSearchParams();
    if (view.query.trim()) query.set('q', view.query.trim());
    if (view.from) query.set('from', dayStart(view.from));
    if (view.to) query.set('to', dayStart(view.to, 1));
    return query;
  }

  /**
   * Reads the page of `view.page` with its count (and, under a search, the account's count beside it): true, or the
   * failed answer (null when signed out, false when a later request was made meanwhile).
   */
  async function read() {
    const request = ++asked;
    const filter = filterQuery();
    const pageQuery = new URLSearchParams(filter);
    pageQuery.set('limit', String(PAGE_SIZE));
    pageQuery.set('include', 'total');
    if (view.page > 1) pageQuery.set('offset', String((view.page - 1) * PAGE_SIZE));
    // days chosen the wrong way round find nothing, as they say, without asking
    const backwards = view.from && view.to && view.from > view.to;
    const [page, account] = await Promise.all([
      backwards ? {ok: true, body: {conversations: [], total: 0}} : call('GET', `/v1/conversations?${pageQuery}`),
      filter.toString() && !fixed ? call('GET', '/v1/conversations?limit=1&include=total') : null]);
    if (request !== asked) return false;
    for (const answer of [page, account]) {
      if (answer && !answer.ok) return answer.status === 401 ? null : answer;
    }
    const found = page.body.total ?? page.body.conversations.length;
    const pages = Math.max(1, Math.ceil(found / PAGE_SIZE));
    if (view.page > pages) {
      // a page past the end (conversations deleted since, a narrower search) shows the last one
      view.page = pages;
      remember();
      return read();
    }
    shown = {conversations: page.body.conversations, found, total: account ? account.body.total : found};
    return true;
  }

  /** Reads and draws the page of `view.page`; a failure is said above the list, which stays as it was. */
  async function show() {
    list.setAttribute('aria-busy', 'true');
    const answer = await read();
    if (answer === false) return;
    list.removeAttribute('aria-busy');
    if (answer === null) return;
    problem.hidden = answer === true;
    fill(problem, answer === true ? '' : `The list could not be read: ${problemText(answer)}`);
    if (answer === true) draw();
  }

  function nameOf(conversation) {
    return conversation.name || conversation.id;
  }

  /** The days chosen, in words ("started from 3 Nov 2026 to 7 Nov 2026"); '' without dates. */
  function days() {
    if (view.from && view.to) return `started from ${shownDay(view.from)} to ${shownDay(view.to)}`;
    if (view.from) return `started on ${shownDay(view.from)} or later`;
    if (view.to) return `started on ${shownDay(view.to)} or earlier`;
    return '';
  }

  /** Whether a ticked conversation is among those the search and the days find, by the service's rule. */
  function isFound(conversation) {
    const query = view.query.trim().toLowerCase();
    if (query && !(conversation.name ?? '').toLowerCase().includes(query)
      && !conversation.id.toLowerCase().startsWith(query)) return false;
    const started = Date.parse(conversation.startTime ?? conversation.createdOn);
    if (Number.isNaN(started)) return true;
    return !(view.from && started < Date.parse(dayStart(view.from)) || view.to && started >= Date.parse(dayStart(view.to, 1)));
  }

  function filterWords() {
    const query = view.query.trim();
    return [query ? `match “${query}”` : '', days()].filter(Boolean).join(' and ');
  }

  function draw() {
    const {conversations, found, total} = shown;
    const pages = Math.max(1, Math.ceil(found / PAGE_SIZE));
    const firstRow = (view.page - 1) * PAGE_SIZE;
    countText.textContent = countLine({total, found, first: firstRow, onPage: conversations.length, pages,
      filter: filterWords(), noun: 'conversation'});
    pagesAbove.draw(view.page, pages);
    pagesBelow.draw(view.page, pages);
    selection.element.hidden = total === 0;
    if (toolbar) toolbar.hidden = total === 0;
    const ids = total === 0 ? 'none' : found === 0 ? `nothing:${filterWords()}` : conversations.map(c => c.id).join(' ');
    if (ids !== drawnIds) {
      drawnIds = ids;
      if (total === 0) {
        // a new account: what a conversation is here, and the way to the upload, which on a phone is behind a
        // button at the top (until 2026-11-29 only "No conversations yet.")
        fill(list, !fixed ? h('div', {class: 'empty first-steps', testid: 'conversations-empty'},
          h('p', {}, h('strong', {}, 'No conversations yet.'), ' A conversation is the transcript of a call or chat '
            + 'that you upload: each of its messages is checked against your trackers, and its page shows which fired '
            + 'where.'),
          upload ? h('div', {class: 'actions'}, h('button', {type: 'button', class: 'primary', testid: 'empty-upload',
            onclick: upload}, 'Upload a conversation')) : null)
          : h('p', {class: 'empty', testid: 'conversations-empty'}, fixed.has('trackerId')
            ? 'No conversations match: none started in this range had a hit of this tracker (a deleted conversation '
              + 'is no longer counted).'
            : 'No conversations started in this range.'));
      } else if (found === 0) {
        // not an empty box under "0 of 2,000 conversations match": what was searched, and how to get the list back
        const query = view.query.trim();
        fill(list, h('p', {class: 'empty', testid: 'conversation-none-found'},
          `No conversation ${[query ? `matches “${query}”` : '', days()].filter(Boolean).join(' and ')}. `,
          h('button', {type: 'button', class: 'link', onclick: () => {
            search.value = from.input.value = to.input.value = '';
            view.query = view.from = view.to = '';
            view.page = 1;
            remember();
            show();
            search.focus();
          }}, 'Show all conversations')));
      } else {
        fill(list, table(conversations, fixed ? null : conversation => selection.box(conversation.id, nameOf(conversation)),
          cameFrom));
      }
    }
    selection.sync();
  }

  /** Shows page `number` of what is found; the focus goes to its first conversation, where reading goes on. */
  async function goToPage(number) {
    view.page = number;
    remember();
    await show();
    countText.parentElement.scrollIntoView({block: 'start'});
    list.querySelector('td.title a')?.focus({preventScroll: true});
  }

  function rowBoxes() {
    return [...list.querySelectorAll('input.select-box')];
  }

  function selectedNotShown() {
    const query = view.query.trim();
    const found = new Set(ticked().filter(isFound).map(c => c.id));
    return whereNotShown(selected, new Set(rowBoxes().map(box => box.dataset.id)), found,
      [query ? `“${query}”` : '', days() ? 'the dates' : ''].filter(Boolean).join(' and '));
  }

  function askToDeleteSelected() {
    // newest first, as the list shows them
    const chosen = ticked().sort((a, b) => (b.createdOn ?? '').localeCompare(a.createdOn ?? '')
      || b.id.localeCompare(a.id));
    if (chosen.length) bulkDialog.ask(chosen, selectedNotShown());
  }

  /**
   * After a delete of several: the list as the service holds it now (the count with it), on the same page or, if
   * that page emptied, the last one left; then what was done, and by name what was not, with the service's reason.
   */
  async function showOutcome(outcome) {
    if (!holder.isConnected) {
      toastBulkDelete(outcome, 'conversation');
      return;
    }
    await show();
    remember();
    reportBulkDelete(bulkResult, outcome, {noun: 'conversation', nameOf,
      focusAfter: list.querySelector('td.title a, [data-testid=empty-upload]') ?? search});
  }
}

/** A server that cannot list conversations (an older one) or a list it refuses: said where the list would be. */
function showUnavailable(holder, response) {
  if (!isMissingRoute(response)) {
    fill(holder, h('p', {class: 'problem', role: 'alert'}, problemText(response)));
    return;
  }
  // this server cannot list conversations yet: show those uploaded in this tab
  const recent = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]');
  fill(holder, h('p', {class: 'hint', testid: 'conversation-list-unavailable'},
    'This server does not list past conversations yet; these are the ones uploaded in this tab.'),
  h('div', {class: 'conversation-list', testid: 'conversation-list'},
    recent.length ? table(recent) : h('p', {class: 'empty'}, 'None yet.')));
}

/**
 * A table whose rows become stacked cards on a narrow screen (app.css .stack: each cell says its column); box(c): the
 * box that ticks a row, in a first column, for a list whose rows can be deleted together; cameFrom (backHere's
 * parameters): the page each conversation offers the way back to.
 */
function table(items, box = null, cameFrom = null) {
  const linkQuery = cameFrom ? `?${new URLSearchParams(cameFrom)}` : '';
  const cell = (label, content, attributes = {}) => h('td', {...attributes, dataset: {label}}, content);
  const selectCell = c => {
    if (!box) return null;
    const input = box(c);
    // the whole cell is the box's label: a larger target than the box
    return h('td', {class: 'select'}, h('label', {class: 'row-select', for: input.id}, input));
  };
  // the service lists conversations newest upload first (createdOn), and has no other order: a page of 50 sorted here
  // by when each call started would still be cut from the upload order. So the order's date is a column of its own,
  // marked as the one sorted by, beside Started (the call's own time, which the days filter and analytics go by).
  return h('table', {class: `data stack${box ? ' selectable' : ''}`},
    h('caption', {class: 'hint', testid: 'conversation-order'}, 'Newest upload first.'),
    h('thead', {}, h('tr', {}, box ? h('th', {scope: 'col', class: 'select'}, h('span', {class: 'visually-hidden'}, 'Selected')) : null,
      h('th', {scope: 'col'}, 'Conversation'), h('th', {scope: 'col'}, 'Started'),
      h('th', {scope: 'col', 'aria-sort': 'descending', testid: 'conversation-uploaded-head'}, 'Uploaded',
        h('span', {'aria-hidden': 'true'}, ' ↓')),
      h('th', {scope: 'col', class: 'number', title: 'The service splits messages into sentences'}, 'Sentences'),
      h('th', {scope: 'col', class: 'number'}, 'Hits'), h('th', {scope: 'col'}, 'Status'))),
    h('tbody', {}, items.map(c => h('tr', {testid: 'conversation-row', dataset: {id: c.id}},
      selectCell(c),
      cell('Conversation', h('a', {href: `#/conversations/${encodeURIComponent(c.id)}${linkQuery}`}, c.name || c.id), {class: 'title'}),
      cell('Started', formatMinute(c.startTime ?? c.createdOn)),
      cell('Uploaded', formatMinute(c.createdOn), {testid: 'conversation-uploaded'}),
      cell('Sentences', c.messageCount ?? '', {class: 'number'}),
      cell('Hits', c.hitCount ?? '', {class: 'number'}),
      // nothing to say (no job, not streamed): an empty cell, which a card leaves out rather than show a bare label
      cell('Status', c.jobStatus ? jobStatusWords(c.jobStatus) : c.source === 'streaming' ? 'Streamed' : null)))));
}

/**
 * The confirmation of a conversation's delete (DELETE /v1/conversations/{id}), as the tracker editor's: it opens on
 * Cancel. Once deleted, the list is shown (without it); a refusal is shown in the dialog.
 */
function deleteDialog(page, info) {
  const title = info.name ? `“${info.name}”` : 'this conversation';
  const problem = h('p', {class: 'problem', role: 'alert', testid: 'delete-problem', hidden: true});
  const cancel = h('button', {type: 'button', testid: 'cancel-delete', onclick: () => dialog.close()}, 'Cancel');
  const confirm = h('button', {type: 'button', class: 'danger', testid: 'confirm-delete', onclick: async () => {
    confirm.disabled = true;
    const response = await call('DELETE', `/v1/conversations/${encodeURIComponent(info.id)}`);
    confirm.disabled = false;
    if (response.ok) {
      dialog.close();
      const recent = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]').filter(r => r.id !== info.id);
      sessionStorage.setItem(RECENT_KEY, JSON.stringify(recent));
      if (page.isConnected) {
        noticeForNextPage(`Deleted ${title}.`);
        location.hash = '#/conversations';
      } else {
        toast(`Deleted ${title}.`);
      }
    } else if (response.status === 401) {
      dialog.close();
    } else {
      fill(problem, `The conversation was not deleted: ${problemText(response)}`);
      problem.hidden = false;
    }
  }}, 'Delete');
  const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'delete-title', 'aria-describedby': 'delete-text',
    testid: 'delete-dialog'},
    h('h2', {id: 'delete-title'}, `Delete ${title}?`),
    h('p', {id: 'delete-text'}, 'Its messages and hits are deleted, and analytics and suggestions no longer count it; '
      + 'a job still processing it stops. Examples you labelled from its sentences stay. This cannot be undone.'),
    problem,
    h('div', {class: 'actions'}, confirm, cancel));
  return dialog;
}

/**
 * The stored sentences grouped back into the messages that were uploaded (sourceIndex says which one each came
 * from); a sentence without it is a message of its own.
 */
export function groupIntoMessages(sentences) {
  const groups = [];
  for (const sentence of sentences) {
    const last = groups.at(-1);
    if (last && sentence.sourceIndex !== undefined && sentence.sourceIndex !== null && last.sourceIndex === sentence.sourceIndex) {
      last.sentences.push(sentence);
    } else {
      groups.push({sourceIndex: sentence.sourceIndex, from: sentence.from, sentences: [sentence]});
    }
  }
  return groups;
}

/** Every stored sentence of a conversation, read a page of the API at a time: {sentences} or {failed: the response}. */
async function allSentences(id) {
  const sentences = [];
  for (let after = 0; after !== null && after !== undefined;) {
    const chunk = await call('GET', `/v1/conversations/${encodeURIComponent(id)}/messages?after=${after}`);
    if (!chunk.ok) return {failed: chunk};
    sentences.push(...chunk.body.messages);
    after = chunk.body.next;
  }
  return {sentences};
}

export async function renderConversation(page, id, query = new URLSearchParams()) {
  fill(page, h('p', {class: 'breadcrumb'}, h('a', {href: '#/conversations'}, '← Conversations')),
    h('h1', {}, 'Conversation'), h('p', {class: 'loading'}, 'Loading conversation…'));
  const back = {href: '#/conversations', text: 'Back to the conversations'};
  // the messages are read beside the hits, not after them: the hits of a long call of many trackers are the slow part
  const [conversation, trackers, read] = await Promise.all([
    call('GET', `/v1/conversations/${encodeURIComponent(id)}`),
    call('GET', `/v1/conversations/${encodeURIComponent(id)}/trackers`),
    allSentences(id),
  ]);
  if (!conversation.ok || !trackers.ok) {
    const failed = conversation.ok ? trackers : conversation;
    if (failed.status === 404) notThere(page, 'conversation', back);
    else if (failed.status !== 401) pageProblem(page, 'Conversation', problemText(failed), {back});
    return;
  }
  if (read.failed) {
    if (read.failed.status !== 401) pageProblem(page, 'Conversation', problemText(read.failed), {back});
    return;
  }
  const sentences = read.sentences;
  const byId = new Map(sentences.map(sentence => [sentence.id, sentence]));
  const hits = hitsByMessage(trackers.body, sentenceId => byId.get(sentenceId)?.text);
  const counts = countsByTracker(trackers.body, hits);
  const info = conversation.body;
  const messages = groupIntoMessages(sentences);
  const size = messages.length === sentences.length ? plural(messages.length, 'message')
    : `${plural(messages.length, 'message')} (${plural(sentences.length, 'sentence')})`;

  const dialog = deleteDialog(page, info);

  let countsBody; // the rows of Hits per tracker, the busiest shown first (showTheOtherRows)
  const transcript = transcriptPages(messages, hits);

  fill(page,
    breadcrumb(backLink(query), h('a', {href: '#/conversations'}, backLink(query) ? 'Conversations' : '← Conversations')),
    h('div', {class: 'page-head'},
      h('h1', {}, info.name || 'Conversation'),
      h('div', {class: 'actions'}, h('button', {type: 'button', class: 'small danger', testid: 'conversation-delete',
        onclick: () => {
          dialog.showModal();
          // one Enter must not delete: the safe choice has the focus
          dialog.querySelector('[data-testid="cancel-delete"]').focus();
        }}, 'Delete…'))),
    dialog,
    h('p', {class: 'hint', testid: 'conversation-size'}, [size, info.startTime ? `started ${formatMinute(info.startTime)}` : null,
      `ID ${info.id}`].filter(Boolean).join(' · ')),
    // the counts across the page above the transcript: in a column of a third of it (340 px at 1280) each tracker's
    // matched phrases wrapped onto three or four lines
    h('section', {class: 'card counts', 'aria-labelledby': 'counts-title'},
      h('h2', {id: 'counts-title'}, 'Hits per tracker'),
      counts.length ? [h('table', {class: 'data', testid: 'tracker-counts'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Tracker'),
          h('th', {scope: 'col', class: 'number', title: 'Sentences the tracker hit'}, 'Hits'),
          h('th', {scope: 'col'}, 'Matched phrases'))),
        countsBody = h('tbody', {}, counts.map(c => h('tr', {testid: 'tracker-count'}, h('td', {}, c.name),
          h('td', {class: 'number'}, String(c.hits)),
          h('td', {class: 'phrases'}, c.phrases.map(p => `${p.phrase}${p.hits > 1 ? ` ×${p.hits}` : ''}`).join(', ')))))),
        // a long call of an account of hundreds of trackers: hundreds of rows between the heading and the transcript
        showTheOtherRows(countsBody, `Show all ${counts.length} trackers that fired`, 'tracker-counts-show-all'),
        h('p', {class: 'hint'}, 'A hit is a sentence a tracker fired on, as analytics counts it.')]
        : h('p', {class: 'empty', testid: 'no-hits'}, 'No tracker fired in this conversation.')),
    transcript.element);
  transcript.show(query.get('sentence'));
}

// messages of the transcript drawn at once: a call of 5,000 messages drawn whole took 9.5 s of a frozen tab in
// headless Chromium and made a page 2.4 million px long (docs/ui.md, "A long conversation")
const TRANSCRIPT_PAGE = 100;

/**
 * The transcript of a conversation in pages of TRANSCRIPT_PAGE messages, with the page numbers of the long lists
 * above and below it, a line saying which messages are shown, and "Only messages with hits", which pages the hits
 * alone. `show(sentenceId)` draws the page holding that sentence (a link from Teach) with it outlined, else the first.
 */
function transcriptPages(messages, hits) {
  const view = {page: 1, onlyHits: false};
  const withHits = messages.filter(message => message.sentences.some(sentence => hits.has(sentence.id)));
  const shownCount = h('p', {class: 'hint', testid: 'transcript-count', tabIndex: -1});
  const list = h('ol', {class: 'messages', testid: 'conversation-messages'});
  const pagesAbove = pager('Pages of the transcript, above it', 'transcript-pages-top', goToPage);
  const pagesBelow = pager('Pages of the transcript', 'transcript-pages', goToPage);
  const onlyHits = h('input', {type: 'checkbox', id: 'transcript-only-hits', testid: 'transcript-only-hits', onchange: () => {
    view.onlyHits = onlyHits.checked;
    view.page = 1;
    draw();
  }});
  const element = h('section', {class: 'card transcript', 'aria-labelledby': 'transcript-title'},
    h('h2', {id: 'transcript-title'}, 'Transcript'),
    // a filter only where there is something to leave out: every message hit, or none, leaves nothing to choose
    withHits.length > 0 && withHits.length < messages.length
      ? h('label', {class: 'check', for: onlyHits.id}, onlyHits, `Only messages with hits (${count(withHits.length)})`) : null,
    withHits.length ? scoreHint(false) : null,
    shownCount, pagesAbove.element, list, pagesBelow.element);

  function draw() {
    const shown = view.onlyHits ? withHits : messages;
    const pages = Math.max(1, Math.ceil(shown.length / TRANSCRIPT_PAGE));
    const first = (view.page - 1) * TRANSCRIPT_PAGE;
    const onPage = shown.slice(first, first + TRANSCRIPT_PAGE);
    // one page needs no line: the heading's count says how many messages there are
    shownCount.hidden = pages === 1 && !view.onlyHits;
    shownCount.textContent = countLine({total: messages.length, found: shown.length, first, onPage: onPage.length, pages,
      filter: view.onlyHits ? 'have hits' : '', noun: 'message'});
    pagesAbove.draw(view.page, pages);
    pagesBelow.draw(view.page, pages);
    fill(list, onPage.map(message => messageItem(message, hits)));
  }

  /** Page `number`, its top in view and the focus on the line saying what it holds, where reading goes on. */
  function goToPage(number) {
    view.page = number;
    draw();
    shownCount.scrollIntoView({block: 'start'});
    shownCount.focus({preventScroll: true});
  }

  function show(sentenceId) {
    const holding = sentenceId ? messages.findIndex(message => message.sentences.some(s => s.id === sentenceId)) : -1;
    view.page = holding < 0 ? 1 : Math.floor(holding / TRANSCRIPT_PAGE) + 1;
    draw();
    if (holding >= 0) showLinkedSentence(list, sentenceId);
  }

  return {element, show};
}

function messageItem(message, hits) {
  const messageHits = message.sentences.flatMap(sentence => hits.get(sentence.id) ?? []);
  return h('li', {class: 'message', testid: 'conversation-message'},
    message.from?.name || message.from?.userId ? h('span', {class: 'speaker'}, message.from.name ?? message.from.userId) : null,
    h('p', {class: 'text'}, message.sentences.map((sentence, index) => [index > 0 ? ' ' : null,
      h('span', {class: 'sentence', testid: 'conversation-sentence', dataset: {sentenceId: sentence.id}}, highlighted(sentence.text,
        hitSpans(hits.get(sentence.id) ?? [], (hit, span) => `${hit.tracker}: “${span.phrase}”`)))])),
    messageHits.length ? hitList(messageHits, 'conversation-hit') : null);
}

/**
 * A link to one sentence of the conversation (a suggestion's "its conversation" on the Teach page) shows that sentence
 * in its place: outlined and scrolled into view, so the user reads it with what was said around it instead of
 * searching a long call for it.
 */
function showLinkedSentence(page, sentenceId) {
  if (!sentenceId) return;
  const sentence = [...page.querySelectorAll('[data-testid=conversation-sentence]')].find(s => s.dataset.sentenceId === sentenceId);
  if (!sentence) return;
  sentence.classList.add('linked');
  sentence.setAttribute('aria-current', 'true');
  sentence.title = 'The sentence you came for';
  sentence.scrollIntoView({block: 'center'});
}
