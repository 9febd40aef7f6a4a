// Trackers: the list (search, sort, counts, copy ID, import and export, several deleted at once) and the editor
// (create / edit / delete).
import {call, isMissingRoute, problemText, session} from './api.js';
import {h, fill, field, showError, toast, formatMinute, plural, pageProblem, notThere, byName, noticeForNextPage,
  takeNotice, showNotice, announce, download} from './dom.js';
import {phrases, phraseLines, checkVocabulary, checkExclude, checkName, parseFieldPath, everywherePhrases, listMarkWarning,
  tidyPhraseLines, LIMITS}
  from './rules.js';
import {guardUnsaved, loadDraft, saveDraft, clearDraft} from './nav.js';
import {PAGE_SIZE, countLine, pager, selectionHeader, whereNotShown, bulkDeleteDialog, reportBulkDelete,
  toastBulkDelete, containsSearched} from './pagedlist.js';

const SORTS = {
  name: byName,
  created: (a, b) => (b.createdOn ?? '').localeCompare(a.createdOn ?? ''),
  updated: (a, b) => (b.updatedOn ?? '').localeCompare(a.updatedOn ?? ''),
  phrases: (a, b) => b.vocabulary.length - a.vocabulary.length || byName(a, b),
};

// returnTo: the tracker the editor showed last, whose row the list brings back into view (row 90 of 120 is not found
// again from the top); deleted: the tracker the editor just deleted, whose place in the list the next row took
const listState = {returnTo: null, deleted: null};

// the search, sort and page of the list, kept for the tab and per account as drafts are (nav.js): going back to the
// list, or reloading it, keeps what the user chose, and a sign-out forgets it
const LIST_KEY = 'tracker-list';

function listView() {
  const saved = loadDraft(LIST_KEY) ?? {};
  return {query: typeof saved.query === 'string' ? saved.query : '', sort: Object.hasOwn(SORTS, saved.sort ?? '') ? saved.sort : 'name',
    page: Number.isInteger(saved.page) && saved.page >= 1 ? saved.page : 1,
    // the ids of the trackers ticked for deleting: kept across pages and searches (docs/ui.md, "Deleting several")
    selected: Array.isArray(saved.selected) ? saved.selected.filter(id => typeof id === 'string') : []};
}

export async function copyId(id) {
  try {
    await navigator.clipboard.writeText(id);
    toast('Tracker ID copied to the clipboard.');
  } catch {
    toast(`Copy was not allowed here; the ID is ${id}`);
  }
}

/** A server message with its JSON paths in the words of the page: vocabulary[4] is phrase 5, item 0 is tracker 1. */
export function inWords(text) {
  return String(text ?? '')
    .replace(/\bvocabulary\[(\d+)\]/g, (_, i) => `phrase ${Number(i) + 1}`)
    .replace(/\bexclude\[(\d+)\]/g, (_, i) => `exclude phrase ${Number(i) + 1}`)
    .replace(/\bitem (\d+)\b/g, (_, i) => `tracker ${Number(i) + 1}`)
    .replace(/\bwindow\.(seconds|messages|anchor)\b/g, 'window $1');
}

/**
 * A sentence per imported name that differs only in case from a name the account has: taken (names are
 * case-sensitive), it makes a second tracker beside the first, which an import should not do unremarked.
 */
function namesAlikeInCase(items, existing) {
  const byFolded = new Map(existing.map(tracker => [tracker.name.normalize('NFC').toLowerCase(), tracker.name]));
  return items.flatMap(item => {
    if (typeof item?.name !== 'string') return [];
    const name = item.name.trim().normalize('NFC');
    const other = byFolded.get(name.toLowerCase());
    return other !== undefined && other.normalize('NFC') !== name
      ? [`“${name}” differs only in case from “${other}”, which the account had: names are case-sensitive, so they are two trackers.`]
      : [];
  });
}

/** "Tracker 2 (“Budget”)": how a problem of an import file names the tracker it is about. */
function importedTracker(items, index) {
  const name = items[index]?.name;
  return `Tracker ${index + 1}${typeof name === 'string' && name.trim() ? ` (“${name.trim()}”)` : ''}`;
}

/**
 * The problems of a bulk-import file found without asking the server (its rules, and a name used twice in the file,
 * which the server would only report once everything else is right): one line per problem, all at once.
 */
export function importProblems(items) {
  return importProblemList(items).map(problem => problem.text);
}

/**
 * The problems of importProblems as {index, field, text}: the item and the field (as the server's errors[] name it:
 * "name", "vocabulary", "vocabulary[4]", "examples") each is about, so that the server's own refusals of the same
 * fields are not listed twice.
 */
function importProblemList(items) {
  const problems = [];
  const firstWithName = new Map();
  items.forEach((item, index) => {
    const what = importedTracker(items, index);
    const add = (field, text) => problems.push({index, field, text});
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      add('', `${what}: must be an object with a name and a vocabulary`);
      return;
    }
    if (item.name === undefined || item.name === null) add('name', `${what}: the name is required`);
    else if (typeof item.name === 'string') {
      checkName(item.name).forEach(message => add('name', `${what}: the name ${message}`));
      const name = item.name.trim();
      if (name && firstWithName.has(name)) {
        add('name', `${what}: tracker ${firstWithName.get(name) + 1} of this file has the same name; names must differ`);
      } else if (name) {
        firstWithName.set(name, index);
      }
    }
    for (const [key, label, check] of [['vocabulary', 'phrase', checkVocabulary], ['exclude', 'exclude phrase', checkExclude]]) {
      const list = item[key];
      if (key === 'vocabulary' && (list === undefined || list === null)) {
        add(key, `${what}: the vocabulary is required (a list of 5 to 50 phrases)`);
        continue;
      }
      // anything but a list of texts is left to the server, which names what it expected
      if (!Array.isArray(list) || !list.every(phrase => typeof phrase === 'string')) continue;
      // counted as the server counts: every entry, blank or not
      const [min, max] = key === 'vocabulary' ? [LIMITS.minPhrases, LIMITS.maxPhrases] : [0, LIMITS.maxExclude];
      if (list.length < min || list.length > max) {
        add(key, `${what}: the ${key === 'vocabulary' ? 'vocabulary' : 'exclude list'} must have ${min ? `${min} to ` : 'at most '}${max} phrases, has ${list.length}`);
      }
      list.forEach((phrase, i) => { if (!phrase.trim()) add(`${key}[${i}]`, `${what}, ${label} ${i + 1}: must not be blank`); });
      const entries = list.map((phrase, i) => ({phrase: phrase.trim(), number: i + 1})).filter(entry => entry.phrase);
      const options = {numbers: entries.map(entry => entry.number)};
      const found = key === 'exclude' && Array.isArray(item.vocabulary) && item.vocabulary.every(p => typeof p === 'string')
        ? check(entries.map(entry => entry.phrase), options, item.vocabulary.map(p => p.trim()))
        : check(entries.map(entry => entry.phrase), options);
      found.filter(p => p.index !== null).forEach(p => add(`${key}[${p.number - 1}]`, `${what}, ${label} ${p.number}: ${p.message}`));
    }
    exampleProblems(item.examples).forEach(line => add('examples', `${what}${line}`));
  });
  return problems;
}

/**
 * One of the server's errors[] of a refused bulk create as a line of the page's list, in the form of the page's own
 * lines: "Tracker 2 (“Budget”): the name is already used by another tracker of this account", "Tracker 1
 * (“Support”), phrase 5: …"; never a JSON path, an item index from 0 or the server's straight-quoted name.
 */
function importErrorLine(items, error) {
  const message = inWords(error.message ?? '');
  if (error.index === undefined || error.index === null) {
    return (error.field ? `${inWords(error.field)}: ` : '') + message;
  }
  const what = importedTracker(items, error.index);
  const {field, index} = parseFieldPath(error.field);
  if (field === 'name') {
    if (/already exists$/.test(message)) return `${what}: the name is already used by another tracker of this account`;
    const repeated = /is also the name of tracker (\d+) of this request$/.exec(message);
    if (repeated) return `${what}: tracker ${repeated[1]} of this file has the same name; names must differ`;
  }
  const label = {vocabulary: 'phrase', exclude: 'exclude phrase'}[field];
  if (label && index !== null) return `${what}, ${label} ${index + 1}: ${message}`;
  if (field && index === null && /^(is|must|has|cannot)\b/.test(message)) {
    return `${what}: the ${field === 'exclude' ? 'exclude list' : field} ${message}`;
  }
  return `${what}${error.field ? `, ${inWords(error.field)}` : ''}: ${message}`;
}

/**
 * The problems of a tracker's `examples` in an import file (an export holds them as `{"text", "match"}`): found before
 * anything is sent, since the examples are added after their trackers are created, and a file refused halfway would
 * leave trackers without what they were taught.
 */
function exampleProblems(examples) {
  if (examples === undefined || examples === null) return [];
  if (!Array.isArray(examples)) return [': examples must be a list of {"text": …, "match": true or false}'];
  const lines = [];
  if (examples.length > LIMITS.maxExamples) {
    lines.push(`: a tracker holds at most ${LIMITS.maxExamples.toLocaleString('en-US')} examples, this one has ${examples.length.toLocaleString('en-US')}`);
  }
  examples.forEach((example, i) => {
    const where = `, example ${i + 1}: `;
    if (!example || typeof example !== 'object' || Array.isArray(example)) {
      lines.push(`${where}must be an object {"text": …, "match": true or false}`);
      return;
    }
    if (typeof example.text !== 'string' || !example.text.trim()) lines.push(`${where}the text must not be blank`);
    else if (example.text.trim().length > LIMITS.maxExampleLength) {
      lines.push(`${where}the text must be at most ${LIMITS.maxExampleLength.toLocaleString('en-US')} characters, has ${example.text.trim().length.toLocaleString('en-US')}`);
    }
    if (typeof example.match !== 'boolean') lines.push(`${where}match must be true or false`);
  });
  return lines;
}

// what the service owns of a tracker (its id, version, dates, counts, calibration): left out of an export, a file to
// create the trackers from, in this account or another; the create ignores them anyway
const SERVER_OWNED = ['id', 'version', 'createdOn', 'updatedOn', 'exampleCounts', 'calibration'];

/** A tracker as an export file holds it: every field that creates it again, and its examples as `{text, match}`. */
export function exportedTracker(tracker) {
  const copy = Object.fromEntries(Object.entries(tracker).filter(([key]) => !SERVER_OWNED.includes(key)));
  if (Array.isArray(tracker.examples)) copy.examples = tracker.examples.map(({text, match}) => ({text, match}));
  return copy;
}

/** "trackers-demo-2026-11-27.json": whose trackers, and from when, for a file that ends up beside others. */
export function exportFileName(appId, now = new Date()) {
  const day = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map(n => String(n).padStart(2, '0')).join('-');
  const who = String(appId ?? 'account').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `trackers-${who}-${day}.json`;
}


// examples sent per request when an import adds them: 1,000 texts of 1,000 characters would pass the 1 MB body limit
const EXAMPLES_PER_REQUEST = 200;

export async function renderList(page) {
  fill(page, h('h1', {}, 'Trackers'), h('p', {class: 'loading'}, 'Loading trackers…'));
  const response = await call('GET', '/v1/manage/trackers');
  if (!response.ok) {
    if (response.status !== 401) pageProblem(page, 'Trackers', problemText(response), {retry: () => renderList(page)});
    return;
  }
  // replaced after a delete of several: the list is asked for again, so that it shows what the service holds
  let trackers = response.body.trackers;

  const view = listView();
  // a tracker ticked before and deleted since (in its editor, in another tab) is no longer selected
  const selected = new Set(view.selected.filter(id => trackers.some(t => t.id === id)));
  const remember = () => saveDraft(LIST_KEY, {...view, selected: [...selected]});
  const search = h('input', {type: 'search', id: 'tracker-search', value: view.query, testid: 'tracker-search',
    placeholder: 'Name, phrase or category', oninput: () => {
      view.query = search.value;
      view.page = 1; // what the search found, from its first row
      remember();
      draw();
    }});
  const sort = h('select', {id: 'tracker-sort', testid: 'tracker-sort', onchange: () => {
    view.sort = sort.value;
    view.page = 1; // the first rows of the new order, not page 4 of it
    remember();
    draw();
  }},
    h('option', {value: 'name'}, 'Name (A–Z)'),
    h('option', {value: 'created'}, 'Newest first'),
    h('option', {value: 'updated'}, 'Recently changed'),
    h('option', {value: 'phrases'}, 'Most phrases'));
  sort.value = view.sort;
  // the file input stays out of the tab order: the visible button opens it, and shows the focus ring
  const importInput = h('input', {type: 'file', id: 'tracker-import', accept: '.json,application/json', class: 'visually-hidden',
    tabindex: -1, 'aria-hidden': 'true', testid: 'tracker-import', onchange: () => importFile(importInput.files[0])});
  const importButton = h('button', {type: 'button', testid: 'tracker-import-button', onclick: () => importInput.click()}, 'Import JSON…');
  const exportButton = h('button', {type: 'button', testid: 'tracker-export', onclick: () => exportTrackers(null)}, 'Export JSON');
  const importResult = h('div', {class: 'import-result', role: 'status', 'aria-live': 'polite', testid: 'import-result'});
  const list = h('ul', {class: 'tracker-list', testid: 'tracker-list'});
  const count = h('p', {class: 'hint', 'aria-live': 'polite', testid: 'tracker-count'});
  // the page's numbers above the list and below it: a page of 50 rows is 3,700 px long, and the next page is asked
  // for from where the user is, at its end, or at once from its top
  const pagesAbove = pager('Pages of the tracker list, above it', 'tracker-pages-top', goToPage);
  const pagesBelow = pager('Pages of the tracker list', 'tracker-pages', goToPage);

  // ticking trackers to delete several at once: a header over the list with "select all on this page", and, while
  // anything is ticked, how many (and how many of them are not on screen) with what can be done with them
  const exportSelected = h('button', {type: 'button', class: 'small', testid: 'export-selected',
    onclick: () => exportTrackers(new Set(selected))}, 'Export selected');
  const selection = selectionHeader({idPrefix: 'tracker', selected, boxes: rowBoxes, notShown: selectedNotShown,
    changed: remember, onDelete: askToDeleteSelected, actions: [exportSelected]});
  const listSelect = selection.element;
  const syncSelection = selection.sync;
  // what a delete of several did, when anything was left undone (a success is a notice, as a single delete's is)
  const bulkResult = h('div', {class: 'bulk-result', tabindex: -1, testid: 'bulk-result', hidden: true});
  // what the editor did, back from it ("Created “Pricing”."), in the same place
  const notice = takeNotice();
  if (notice) showNotice(bulkResult, notice);
  // each tracker with the version the list showed as If-Match, as the editor's delete sends its version: a tracker
  // changed elsewhere since is not deleted with that change unseen
  const bulkDialog = bulkDeleteDialog({noun: 'tracker', nameOf: tracker => tracker.name,
    cost: 'Conversations processed already keep their hits; new ones will not look for these trackers. This cannot be undone.',
    starting: () => {
      fill(bulkResult);
      bulkResult.hidden = true;
    },
    deleteOne: tracker => call('DELETE', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}`, undefined,
      tracker.version === undefined ? {} : {headers: {'If-Match': `"${tracker.id}.v${tracker.version}"`}}),
    reasonFor: response => (response.status === 412
      ? 'it was changed elsewhere since this list was shown, and deleting it would delete that change unseen. '
        + 'The list now shows it as it is; delete it again if it should still go.'
      : problemText(response)),
    deleted: tracker => {
      selected.delete(tracker.id);
      remember();
    },
    finished: showOutcome});

  // hidden while the account has no tracker: there is nothing to search or sort
  const toolbar = h('div', {class: 'toolbar', testid: 'tracker-toolbar'},
    h('div', {class: 'field inline'}, h('label', {for: 'tracker-search'}, 'Search'), search),
    h('div', {class: 'field inline'}, h('label', {for: 'tracker-sort'}, 'Sort by'), sort));

  fill(page,
    h('div', {class: 'page-head'},
      h('h1', {}, 'Trackers'),
      h('div', {class: 'actions'},
        h('a', {href: '#/trackers/new', class: 'button primary', testid: 'new-tracker'}, 'New tracker'),
        importButton, exportButton, importInput)),
    importResult,
    toolbar,
    h('div', {class: 'list-head'}, count, pagesAbove.element), bulkResult, listSelect, list, pagesBelow.element, bulkDialog.element);
  backToRow();

  /** The trackers the search finds, in the chosen order: all of them, before any page is cut from them. */
  function found() {
    const query = view.query.trim();
    return trackers
      .filter(t => !query || [t.name, ...t.vocabulary, ...(t.categories ?? [])].some(text => containsSearched(text, query)))
      .sort(SORTS[view.sort]);
  }

  /**
   * Back from a tracker's editor (saved, cancelled, Back): the page holding its row, that row in view with the focus
   * on its name, so the keyboard and the eye go on from there rather than from the top of a long list. Back from
   * deleting it: the row that took its place (the next one, or the last), so clearing out several trackers goes on
   * where it was. A tracker filtered out by the search leaves the list at the page it was on.
   */
  function backToRow() {
    const {returnTo, deleted} = listState;
    listState.returnTo = null;
    listState.deleted = null;
    const shown = found();
    let index = shown.findIndex(t => t.id === returnTo);
    if (index < 0 && deleted && shown.length) {
      index = Math.min(shown.filter(t => SORTS[view.sort](t, deleted) < 0).length, shown.length - 1);
    }
    if (index >= 0) {
      view.page = Math.floor(index / PAGE_SIZE) + 1;
      remember();
    }
    draw();
    const row = index >= 0 ? list.querySelector(`[data-testid=tracker-row][data-id="${CSS.escape(shown[index].id)}"]`) : null;
    if (!row) return;
    row.scrollIntoView({block: 'center'});
    row.querySelector('.tracker-name').focus({preventScroll: true});
  }

  /** Shows page `number` of what is found; the focus goes to its first tracker, where reading goes on. */
  function goToPage(number) {
    view.page = number;
    remember();
    draw();
    count.parentElement.scrollIntoView({block: 'start'});
    list.querySelector('.tracker-name')?.focus({preventScroll: true});
  }

  function draw() {
    const query = view.query.trim();
    const shown = found();
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    // a page past the end (trackers deleted since, a narrower search) shows the last one
    view.page = Math.min(view.page, pages);
    const first = (view.page - 1) * PAGE_SIZE;
    const onPage = shown.slice(first, first + PAGE_SIZE);
    count.textContent = countLine({total: trackers.length, found: shown.length, first, onPage: onPage.length, pages,
      filter: query ? `match “${query}”` : '', noun: 'tracker'});
    pagesAbove.draw(view.page, pages);
    pagesBelow.draw(view.page, pages);
    listSelect.hidden = trackers.length === 0;
    toolbar.hidden = trackers.length === 0;
    if (trackers.length === 0) {
      // a new account: what a tracker is, and the two ways to a first one (until 2026-11-29 only "No trackers yet",
      // under a search box and a sort with nothing to search or sort)
      fill(list, h('li', {class: 'empty first-steps', testid: 'trackers-empty'},
        h('p', {}, h('strong', {}, 'No trackers yet.'), ' A tracker is a named list of example phrases, such as '
          + '“Pricing”: “how much does it cost”, “what is the price”. Messages of your conversations that mean the '
          + 'same, in other words too, are reported as its hits.'),
        h('div', {class: 'actions'},
          h('a', {href: '#/trackers/new', class: 'button primary', testid: 'empty-new-tracker'}, 'New tracker'),
          h('button', {type: 'button', testid: 'empty-import', onclick: () => importInput.click()}, 'Import JSON…'))));
      syncSelection();
      return;
    }
    if (shown.length === 0) {
      // not an empty box under "0 of 121 trackers match": what was searched, and how to get the list back
      fill(list, h('li', {class: 'empty', testid: 'tracker-none-found'}, `No tracker has “${query}” in its name, `
        + 'phrases or categories. ', h('button', {type: 'button', class: 'link', onclick: () => {
        search.value = '';
        view.query = '';
        view.page = 1;
        remember();
        draw();
        search.focus();
      }}, 'Show all trackers')));
      syncSelection(); // what is ticked stays ticked, and the bar says it is not shown
      return;
    }
    fill(list, onPage.map(tracker => {
      // a tracker found by one of its phrases says which: the row shows its name, not its phrases
      const phrase = query && !containsSearched(tracker.name, query)
        ? tracker.vocabulary.find(text => containsSearched(text, query)) : undefined;
      const box = selection.box(tracker.id, tracker.name);
      return h('li', {class: 'tracker-row', testid: 'tracker-row', dataset: {id: tracker.id},
        onclick: event => { if (!event.target.closest('button, a, label, input')) location.hash = `#/trackers/${encodeURIComponent(tracker.id)}`; }},
        // the whole cell is the box's label: a larger target than the box
        h('label', {class: 'row-select', for: box.id}, box),
        h('a', {href: `#/trackers/${encodeURIComponent(tracker.id)}`, class: 'tracker-name'}, tracker.name),
        h('span', {class: 'meta'},
          h('span', {}, plural(tracker.vocabulary.length, 'phrase')),
          exampleCount(tracker),
          conditionsOf(tracker),
          (tracker.categories ?? []).map(c => h('span', {class: 'tag', title: 'Category'}, c)),
          h('span', {class: 'date'}, `changed ${formatMinute(tracker.updatedOn)}`),
          phrase !== undefined ? h('span', {class: 'found', testid: 'tracker-found-phrase'}, `phrase “${phrase}”`) : null),
        h('button', {type: 'button', class: 'small', 'aria-label': `Copy ID of ${tracker.name}`,
          onclick: () => copyId(tracker.id)}, 'Copy ID'));
    }));
    syncSelection();
  }

  function rowBoxes() {
    return [...list.querySelectorAll('input.select-box')];
  }

  /**
   * Where the ticked trackers that are not on screen are: "2 on other pages", "1 not matching “refund”", or both;
   * '' when every one is on screen. A selection kept across pages and searches must never hide what it holds.
   */
  function selectedNotShown() {
    return whereNotShown(selected, new Set(rowBoxes().map(box => box.dataset.id)), new Set(found().map(t => t.id)),
      `“${view.query.trim()}”`);
  }

  /** The question before deleting the ticked trackers, naming how many and (the first few of) which. */
  function askToDeleteSelected() {
    const chosen = trackers.filter(t => selected.has(t.id)).sort(SORTS[view.sort]);
    if (!chosen.length) return;
    bulkDialog.ask(chosen, selectedNotShown());
  }

  /**
   * After a delete of several: the list as the service holds it now (the count with it), on the same page or, if
   * that page emptied, the last one left; then what was done, and by name what was not, with the service's reason.
   */
  async function showOutcome({deleted, goneAlready, failed, notTried}) {
    const fresh = await call('GET', '/v1/manage/trackers');
    if (fresh.status === 401) return;
    // without a fresh list, at least none of the deleted ones is shown any more
    trackers = fresh.ok ? fresh.body.trackers : trackers.filter(t => !deleted.has(t.id));
    for (const id of [...selected]) if (!trackers.some(t => t.id === id)) selected.delete(id);
    remember();
    if (!page.isConnected) {
      toastBulkDelete({deleted, failed}, 'tracker');
      return;
    }
    draw();
    reportBulkDelete(bulkResult, {deleted, goneAlready, failed, notTried}, {noun: 'tracker', nameOf: tracker => tracker.name,
      inWords, focusAfter: list.querySelector('.tracker-name, [data-testid=empty-new-tracker]') ?? search});
  }

  /**
   * A tracker's number of examples, from the list itself (`exampleCounts`): one request for the whole page, not one
   * per tracker (500 for the largest account). A server without the field shows no count.
   */
  function exampleCount(tracker) {
    const counts = tracker.exampleCounts;
    return counts ? h('span', {testid: 'example-count'}, plural(counts.positives + counts.negatives, 'example')) : null;
  }

  /**
   * Downloads the trackers (every one, or those of `ids`) with their examples as a file that **Import JSON…** takes
   * back, here or in another account: `{"trackers": [...]}`, as the list API answers it, without what the service owns.
   */
  async function exportTrackers(ids) {
    const response = await call('GET', '/v1/manage/trackers?include=examples');
    if (!response.ok) {
      if (response.status !== 401) showImportProblem('Nothing was exported.', [], response);
      return;
    }
    const chosen = response.body.trackers.filter(tracker => !ids || ids.has(tracker.id)).sort(byName);
    fill(importResult);
    if (chosen.length === 0) {
      // a file of no trackers is of no use to anyone: said instead of saved
      say('There are no trackers to export yet: create one with “New tracker”, or import a file.');
      return;
    }
    const file = {trackers: chosen.map(exportedTracker)};
    const examples = file.trackers.reduce((sum, tracker) => sum + (tracker.examples?.length ?? 0), 0);
    const fileName = exportFileName(session()?.appId);
    download(fileName, JSON.stringify(file, null, 2) + '\n', 'application/json');
    say(`Exported ${plural(chosen.length, 'tracker')} with ${plural(examples, 'example')} to ${fileName}.`);
  }

  /**
   * What an export did, above the list where a save's or a delete's notice is (in place of an earlier one, which no
   * longer says what was done last), heard at once; as a toast at the bottom of the window it covered the rows.
   */
  function say(message) {
    showNotice(bulkResult, message);
    announce(message);
  }

  /** An earlier notice ("Deleted “Pricing”.") goes once the user does something else: it read as the outcome of that. */
  function dropNotice() {
    if (!bulkResult.querySelector('[data-testid=page-notice]')) return;
    fill(bulkResult);
    bulkResult.hidden = true;
  }

  async function importFile(file) {
    if (!file) return;
    const text = await file.text();
    // emptied at once, so that choosing the same file again (once fixed) is a change the page sees
    importInput.value = '';
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      showImportProblem(`${file.name} is not valid JSON: ${error.message}`, []);
      return;
    }
    const items = Array.isArray(parsed) ? parsed : parsed?.trackers;
    if (!Array.isArray(items)) {
      showImportProblem(`${file.name} must hold a JSON array of trackers (or {"trackers": [...]}), as the bulk API takes.`, []);
      return;
    }
    const local = importProblemList(items);
    const refused = `Nothing was imported from ${file.name}. Fix these problems and choose the file again:`;
    if (local.length && local.every(problem => problem.field === 'examples')) {
      // the server does not check examples (they are added after the trackers), so it would create the trackers:
      // the names it would refuse are looked for in the account's list instead
      const taken = await namesTaken(items);
      if (taken === null) return; // signed out meanwhile
      showImportProblem(refused, [...local.map(problem => problem.text), ...taken]);
      return;
    }
    dropNotice();
    const alikeInCase = namesAlikeInCase(items, trackers);
    fill(importResult, h('p', {class: 'loading'}, local.length ? `Checking ${file.name}…` : `Importing ${file.name}…`));
    // sent even with problems found here: the bulk create stores nothing then, and its 400 lists what only the
    // server knows, the names the account already uses, beside the rest, so that one round of fixes is enough
    const response = await call('POST', '/v1/manage/trackers/bulk', items);
    if (response.status === 401) return;
    if (!response.ok) {
      const errors = response.body?.errors ?? [];
      // what the page said already is not said again in the server's words; a name taken is news whatever else
      const said = new Set(local.map(problem => `${problem.index}|${problem.field}`));
      const more = errors
        .filter(e => (e.field === 'name' && /already exists$/.test(e.message ?? ''))
          || !(said.has(`${e.index}|${e.field ?? ''}`) || said.has(`${e.index}|`)))
        .map(e => importErrorLine(items, e));
      if (!errors.length) more.push(inWords(problemText(response)));
      showImportProblem(refused, [...new Set([...local.map(problem => problem.text), ...more])]);
      return;
    }
    // the server took a file the page found problems in: it is the judge of its rules, and the trackers exist
    const taught = await importExamples(items, response.body.trackers);
    if (taught === null) return; // signed out meanwhile
    if (taught.failures.length) {
      showImportProblem(`Imported ${plural(response.body.trackers.length, 'tracker')} from ${file.name}, but not every example: `
        + 'the trackers below were created without them (or with some). Add them from each tracker’s Teach page, or delete '
        + 'those trackers and import the file again.', taught.failures);
      await renderTrackersKeepingResult();
      page.querySelector('[data-testid="import-result"] .problem-box')?.focus();
      return;
    }
    // said above the list, as a save is (the list drawn again shows it), not in a toast over the rows
    noticeForNextPage(`Imported ${plural(response.body.trackers.length, 'tracker')}${taught.count ? ` with ${plural(taught.count, 'example')}` : ''} from ${file.name}.`
      + alikeInCase.map(line => ` ${line}`).join(''));
    // the focus on the first new tracker in the list's order, its page shown and its row in view (as back from an
    // editor), where the keyboard goes on; left to the document it started again at the top of the page
    listState.returnTo = [...response.body.trackers].sort(SORTS[listView().sort])[0]?.id ?? null;
    await renderList(page);
    if (!page.contains(document.activeElement)) page.querySelector('[data-testid=tracker-import-button]')?.focus();
  }

  /**
   * The lines for the names of `items` that a tracker of the account already has (the service's rule: the trimmed
   * name, exactly), for a file the bulk create is not asked about; null when the session ended meanwhile.
   */
  async function namesTaken(items) {
    const fresh = await call('GET', '/v1/manage/trackers');
    if (fresh.status === 401) return null;
    const existing = new Set((fresh.ok ? fresh.body.trackers : trackers).map(t => t.name.normalize('NFC')));
    return items.flatMap((item, index) => (typeof item?.name === 'string' && existing.has(item.name.trim().normalize('NFC'))
      ? [`${importedTracker(items, index)}: the name is already used by another tracker of this account`] : []));
  }

  /**
   * Adds the examples a file gives its trackers (an export holds them) to the trackers just created from it. The
   * bulk create takes no examples, so they follow, one tracker at a time, in parts the body limit allows.
   *
   * @returns {{count: number, failures: string[]}|null} the examples stored and a line per tracker that did not get
   *   all of its own; null when the session ended meanwhile
   */
  async function importExamples(items, created) {
    const byTrackerName = new Map(created.map(tracker => [tracker.name, tracker]));
    const taught = items.map(item => ({tracker: byTrackerName.get(item.name.trim()), examples: item.examples ?? []}))
      .filter(entry => entry.tracker && entry.examples.length);
    let count = 0;
    const failures = [];
    for (const [index, {tracker, examples}] of taught.entries()) {
      fill(importResult, h('p', {class: 'loading'},
        `Adding the examples of “${tracker.name}” (${index + 1} of ${taught.length} trackers with examples)…`));
      for (let start = 0; start < examples.length; start += EXAMPLES_PER_REQUEST) {
        const part = examples.slice(start, start + EXAMPLES_PER_REQUEST).map(({text, match}) => ({text, match}));
        const answer = await call('POST', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}/examples`, part);
        if (answer.status === 401) return null;
        if (!answer.ok) {
          failures.push(`“${tracker.name}”: ${start ? `its first ${start} examples were added; ` : ''}${inWords(problemText(answer))}`);
          break;
        }
        count += answer.body.examples.length;
      }
    }
    fill(importResult);
    return {count, failures};
  }

  /** The list drawn again with what the service holds, the import's result box kept above it. */
  async function renderTrackersKeepingResult() {
    const kept = [...importResult.childNodes];
    await renderList(page);
    const box = page.querySelector('[data-testid="import-result"]');
    if (box) fill(box, kept);
  }

  /** The problems of an import (or export) above the list, with the focus, so that reading goes on from them. */
  function showImportProblem(summary, lines, response) {
    dropNotice();
    const box = h('div', {class: 'problem-box', role: 'alert', tabindex: -1, testid: 'import-problem'},
      h('p', {}, summary),
      lines.length ? h('ul', {}, lines.map(line => h('li', {}, line))) : response ? h('p', {}, inWords(problemText(response))) : null);
    fill(importResult, box);
    box.focus();
  }
}

/**
 * Moves the focus to a line of a box, selected and in view: a problem on line 37 of a 50-phrase box is found without
 * counting lines (the browser scrolls a box to its caret when the user types, not when a page selects text).
 */
export function selectLine(textarea, line) {
  const lines = textarea.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  // a line above it stays in view, for context; lines that wrap make this approximate, never off by more than they do
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 22;
  textarea.scrollTop = Math.max(0, (line - 2) * lineHeight);
}

/** "must have 5 to 50 phrases" → "Phrases must have …"; a message that names its own subject starts with a capital. */
function sentence(label, message) {
  return /^(is|are|must|has|have|should|contains|repeats|cannot)\b/.test(message)
    ? `${label} ${message}` : message.charAt(0).toUpperCase() + message.slice(1);
}

// whether a mouse button (or a finger) is down: the editor's boxes show some problems when left, and not while a
// press that left them is under way (see renderEditor)
let pointerPressed = false;
document.addEventListener('pointerdown', () => { pointerPressed = true; }, true);
document.addEventListener('pointerup', () => { pointerPressed = false; }, true);

// the editor's fields by the names of a save's body, as the page labels them
const FIELD_NAMES = {name: 'Name', vocabulary: 'Phrases', categories: 'Categories', languages: 'Languages',
  description: 'Description', sensitivity: 'Sensitivity', speaker: 'Who must say it', window: 'Where in the conversation',
  exclude: 'Exclude'};

/** A tracker as the editor's save sends it (the defaults of the extension fields left out), to compare versions. */
function bodyOf(tracker) {
  const result = {name: tracker.name, vocabulary: tracker.vocabulary ?? [], categories: tracker.categories ?? []};
  if (tracker.languages) result.languages = tracker.languages;
  if (tracker.description) result.description = tracker.description;
  if (tracker.sensitivity !== undefined && tracker.sensitivity !== null) result.sensitivity = tracker.sensitivity;
  if (tracker.speaker && tracker.speaker !== 'any') result.speaker = tracker.speaker;
  if (tracker.window?.anchor) {
    const unit = tracker.window.messages !== undefined && tracker.window.messages !== null ? 'messages' : 'seconds';
    result.window = {anchor: tracker.window.anchor, [unit]: tracker.window[unit]};
  }
  if (tracker.exclude?.length) result.exclude = tracker.exclude;
  return result;
}

/**
 * "said by the customer · first 60 s": when a tracker can fire, in words, apart from its categories. The speaker was a
 * grey chip like the categories ("customer" beside "Sales"), and the window, which changes what fires most, was not
 * shown at all.
 */
function conditionsOf(tracker) {
  const parts = [];
  if (tracker.speaker && tracker.speaker !== 'any') parts.push(`said by the ${tracker.speaker}`);
  const window = tracker.window;
  if (window?.anchor) {
    const side = window.anchor === 'end' ? 'last' : 'first';
    if (Number.isFinite(window.seconds)) parts.push(`${side} ${window.seconds} s`);
    else if (Number.isFinite(window.messages)) parts.push(`${side} ${plural(window.messages, 'message')}`);
  }
  return parts.length ? h('span', {class: 'conditions', testid: 'tracker-conditions', title: 'When it can fire'},
    parts.join(' · ')) : null;
}

/** The fields (of FIELD_NAMES, in its order) whose value differs between two bodies. */
function changedFields(before, after) {
  return Object.keys(FIELD_NAMES).filter(key => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/**
 * "Remove list marks and punctuation" under a box of phrases, there while a line has any (rules.js, tidyPhrase): the
 * lines keep their numbers, so the problems named by line still point at the right place. What it did is said beside
 * it, and the focus goes back into the box, as the button goes.
 */
function tidyOffer(box, testid) {
  const button = h('button', {type: 'button', class: 'small', testid: `${testid}-tidy`, hidden: true},
    'Remove list marks and punctuation');
  const done = h('span', {class: 'hint', role: 'status', testid: `${testid}-tidied`});
  button.addEventListener('click', () => {
    const {text, changed} = tidyPhraseLines(box.value);
    box.value = text;
    done.textContent = `Tidied ${plural(changed, 'line')}.`;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    box.focus();
  });
  // the line saying what was done stays until the box changes again
  box.addEventListener('input', event => { if (event.isTrusted) done.textContent = ''; });
  const row = h('p', {class: 'tidy', hidden: true}, button, ' ', done);
  const sync = () => {
    button.hidden = tidyPhraseLines(box.value).changed === 0;
    row.hidden = button.hidden && !done.textContent;
  };
  return {row, sync};
}

export async function renderEditor(page, id) {
  let tracker = null;
  if (id) {
    fill(page, h('p', {class: 'loading'}, 'Loading tracker…'));
    const response = await call('GET', `/v1/manage/trackers/${encodeURIComponent(id)}`);
    if (!response.ok) {
      if (response.status === 404) {
        notThere(page, 'tracker', {href: '#/trackers', text: 'Back to the trackers'});
      } else if (response.status !== 401) {
        pageProblem(page, 'Tracker', problemText(response), {back: {href: '#/trackers', text: 'Back to the trackers'},
          retry: () => renderEditor(page, id)});
      }
      return;
    }
    tracker = response.body.tracker;
    listState.returnTo = tracker.id;
  }

  const name = field('Name', h('input', {name: 'name', required: true, maxlength: 200, testid: 'tracker-name', value: tracker?.name ?? ''}));
  // a name another tracker of the account has is said as it is typed (a save is refused), and so is one that differs
  // from it only in case: names are case-sensitive (the wire contract's rule), so "pricing" beside "Pricing" is a
  // second tracker, easily made by accident
  const nameWarning = h('p', {class: 'field-warning', 'aria-live': 'polite', testid: 'name-warning', hidden: true});
  name.row.append(nameWarning);
  let otherTrackers = [];
  call('GET', '/v1/manage/trackers').then(response => {
    if (!response.ok) return;
    otherTrackers = response.body.trackers.filter(other => other.id !== tracker?.id);
    syncNameWarning();
  });
  function syncNameWarning() {
    const typed = name.input.value.trim().normalize('NFC');
    const same = otherTrackers.find(other => other.name.normalize('NFC') === typed);
    const alike = otherTrackers.find(other => other.name.normalize('NFC').toLowerCase() === typed.toLowerCase());
    const other = typed ? same ?? alike : undefined;
    nameWarning.hidden = !other;
    if (!other) return fill(nameWarning);
    fill(nameWarning, same
      ? `Another tracker of this account is named “${other.name}”: names must differ, so saving would be refused. `
      : `Another tracker is named “${other.name}”. Names are case-sensitive: this would be a second tracker beside it. `,
    h('a', {href: `#/trackers/${encodeURIComponent(other.id)}`, testid: 'name-warning-open'}, `Open “${other.name}”`));
  }
  name.input.addEventListener('input', syncNameWarning);
  const description = field('Description (optional)', h('input', {name: 'description', testid: 'tracker-description', value: tracker?.description ?? ''}));
  const vocabulary = field('Phrases',
    h('textarea', {name: 'vocabulary', rows: 10, testid: 'tracker-vocabulary', spellcheck: true}),
    'One phrase per line, 5 to 50 phrases. Letters, digits, spaces, full stops, apostrophes and hyphens only; no duplicates. Problems name the line they are on.');
  vocabulary.input.value = (tracker?.vocabulary ?? []).join('\n');
  const vocabularyCount = h('p', {class: 'counter', 'aria-live': 'polite', testid: 'vocabulary-count'});
  vocabulary.row.insertBefore(vocabularyCount, vocabulary.error);
  // allowed, but a phrase such as "a" fires on nearly every sentence: said as the user types, without blocking a save
  const vocabularyWarning = h('p', {class: 'field-warning', 'aria-live': 'polite', testid: 'vocabulary-warning'});
  vocabulary.row.append(vocabularyWarning);
  // a list pasted from a document keeps its bullets, numbers and punctuation: one click takes them out of every line
  const tidyVocabulary = tidyOffer(vocabulary.input, 'vocabulary');
  vocabulary.row.append(tidyVocabulary.row);
  const categories = field('Categories (optional)', h('input', {name: 'categories', testid: 'tracker-categories',
    value: (tracker?.categories ?? []).join(', ')}), 'Separated by commas.');

  const sensitivityValue = h('output', {for: 'tracker-sensitivity'});
  const sensitivityDefault = h('input', {type: 'checkbox', id: 'sensitivity-default', testid: 'sensitivity-default',
    checked: tracker?.sensitivity === undefined || tracker?.sensitivity === null});
  const sensitivity = field('Sensitivity', h('input', {type: 'range', id: 'tracker-sensitivity', min: 0, max: 1, step: 0.05,
    testid: 'tracker-sensitivity', value: String(tracker?.sensitivity ?? 0.5)}), 'Higher finds more hits (and more false ones).');
  // the box first, then the value: "default ☑ Use the calibrated default" read the value as the box's label
  sensitivity.row.insertBefore(h('div', {class: 'inline-options'},
    h('label', {class: 'check'}, sensitivityDefault, ' Use the calibrated default'), sensitivityValue), sensitivity.error);

  const speaker = field('Who must say it', h('select', {name: 'speaker', testid: 'tracker-speaker'},
    h('option', {value: 'any'}, 'Anyone'),
    h('option', {value: 'agent'}, 'The agent'),
    h('option', {value: 'customer'}, 'The customer')), 'Only lines that say who speaks count for the agent or the customer: start each line with “Agent:” or “Customer:” '
    + '(in a transcript file, name the speakers Agent and Customer).');
  speaker.input.value = tracker?.speaker ?? 'any';

  // each control is named on its own (the legend names only the group) and described by the group's problem
  const windowAnchor = h('select', {id: 'window-anchor', 'aria-label': 'Where in the conversation',
    'aria-describedby': 'window-error', testid: 'tracker-window-anchor'},
    h('option', {value: ''}, 'Anywhere in the conversation'),
    h('option', {value: 'start'}, 'Within the first'),
    h('option', {value: 'end'}, 'Within the last'));
  const windowSize = h('input', {type: 'number', min: 1, step: 1, id: 'window-size', testid: 'tracker-window-size',
    'aria-label': 'Number of seconds or messages', 'aria-describedby': 'window-hint window-error', inputmode: 'numeric'});
  const windowUnit = h('select', {id: 'window-unit', 'aria-label': 'Seconds or messages', 'aria-describedby': 'window-hint window-error',
    testid: 'tracker-window-unit'},
    h('option', {value: 'seconds'}, 'seconds'), h('option', {value: 'messages'}, 'messages'));
  const savedWindow = tracker?.window;
  if (savedWindow) {
    windowAnchor.value = savedWindow.anchor;
    windowUnit.value = savedWindow.messages !== undefined && savedWindow.messages !== null ? 'messages' : 'seconds';
    windowSize.value = savedWindow.messages ?? savedWindow.seconds ?? '';
  }
  const windowError = h('p', {class: 'field-error', id: 'window-error', hidden: true});
  const windowGroup = h('fieldset', {class: 'field window'},
    h('legend', {}, 'Where in the conversation'),
    // pasted text (Try it, a pasted transcript) has no times, and a message without times is outside a window in
    // seconds (matching.md, "Tracker conditions"): such a tracker never fires there, which nothing said before
    h('p', {class: 'hint', id: 'window-hint', testid: 'tracker-window-hint'}, 'A window in seconds needs messages with '
      + 'times (a WebVTT or SRT file, or JSON with start times): on pasted text, in Try it or on Conversations, it is '
      + 'never met. A window in messages works on any text.'),
    h('div', {class: 'inline-options'}, windowAnchor, windowSize, windowUnit), windowError);
  // the one problem the page finds here is the size's (a whole number of 1 or more): marked and focused there
  const windowParts = {input: windowSize, error: windowError};

  const exclude = field('Exclude (optional)', h('textarea', {name: 'exclude', rows: 3, testid: 'tracker-exclude'}),
    'One phrase per line: a sentence that matches one of these is not a hit (e.g. “not planning to switch”).');
  exclude.input.value = (tracker?.exclude ?? []).join('\n');
  const tidyExclude = tidyOffer(exclude.input, 'exclude');
  exclude.row.append(tidyExclude.row);

  const errorBox = h('div', {class: 'problem-box', role: 'alert', tabindex: -1, hidden: true, testid: 'tracker-error'});
  const restoredBox = h('div', {class: 'notice', role: 'status', hidden: true, testid: 'draft-restored'});
  const save = h('button', {type: 'submit', class: 'primary', testid: 'tracker-save'}, tracker ? 'Save changes' : 'Create tracker');
  const more = h('details', {class: 'more'}, h('summary', {}, 'Conditions and tuning'),
    speaker.row, windowGroup, exclude.row, sensitivity.row);

  // ---- what the user typed: compared with what was loaded, kept as a draft, asked about before leaving ----
  const inputs = {name: name.input, description: description.input, vocabulary: vocabulary.input,
    categories: categories.input, speaker: speaker.input, windowAnchor, windowSize, windowUnit, exclude: exclude.input,
    sensitivity: sensitivity.input};
  const snapshot = () => ({...Object.fromEntries(Object.entries(inputs).map(([key, input]) => [key, input.value])),
    sensitivityDefault: String(sensitivityDefault.checked)});
  const initial = JSON.stringify(snapshot());
  // the tracker as this form loaded it, in the shape a save sends: what the user changed is what differs from it
  const loadedBody = tracker ? body() : null;
  const draftKey = `editor ${tracker?.id ?? 'new'}`;
  let saved = false;
  const isDirty = () => !saved && JSON.stringify(snapshot()) !== initial;
  const discard = () => clearDraft(draftKey);

  function apply(values) {
    for (const [key, input] of Object.entries(inputs)) {
      if (typeof values[key] === 'string') input.value = values[key];
    }
    if (values.sensitivityDefault !== undefined) sensitivityDefault.checked = values.sensitivityDefault === 'true';
  }

  function syncWindow() {
    const on = windowAnchor.value !== '';
    windowSize.disabled = !on;
    windowUnit.disabled = !on;
  }
  windowAnchor.addEventListener('change', syncWindow);
  function syncSensitivity() {
    sensitivity.input.disabled = sensitivityDefault.checked;
    sensitivityValue.textContent = sensitivityDefault.checked ? '' : `Sensitivity ${Number(sensitivity.input.value).toFixed(2)}`;
  }
  sensitivity.input.addEventListener('input', syncSensitivity);
  sensitivityDefault.addEventListener('change', syncSensitivity);

  // ---- problems: the rules checked as the user types, and what the server refused, until that field changes ----
  const sections = [
    {key: 'name', parts: name, label: 'Name', inputs: [name.input]},
    {key: 'vocabulary', parts: vocabulary, label: 'Phrases', inputs: [vocabulary.input]},
    {key: 'description', parts: description, label: 'Description', inputs: [description.input]},
    {key: 'categories', parts: categories, label: 'Categories', inputs: [categories.input]},
    {key: 'speaker', parts: speaker, label: 'Who must say it', inputs: [speaker.input]},
    {key: 'window', parts: windowParts, label: 'Where in the conversation', inputs: [windowAnchor, windowSize, windowUnit]},
    {key: 'exclude', parts: exclude, label: 'Exclude', inputs: [exclude.input]},
    {key: 'sensitivity', parts: sensitivity, label: 'Sensitivity', inputs: [sensitivity.input, sensitivityDefault]},
  ];
  const touched = new Set(tracker ? sections.map(section => section.key) : []);
  // the lists whose box the user left: how many phrases a list has is a problem only then (or at a save); while the
  // first phrases are typed, "1 of 5–50 phrases" above the box says it, without marking the box red
  const left = new Set();
  const serverProblems = new Map(); // section key → [{field, summary}]
  let serverGeneral = [];
  let attempted = false;
  let summaryTitle = null;
  // the tracker was deleted while it was being edited: the next save creates it again
  let gone = false;

  const lineName = lines => index => `the phrase on line ${lines[index]?.line ?? index + 1}`;

  /** [{field, summary}]: the text at the field, and the same problem in the summary at the top. */
  function localProblems(key) {
    const show = attempted || touched.has(key);
    if (key === 'name') {
      return show ? checkName(name.input.value).map(message => ({field: sentence('Name', message), summary: sentence('Name', message)})) : [];
    }
    if (key === 'vocabulary' || key === 'exclude') {
      const label = key === 'vocabulary' ? 'Phrases' : 'Exclude';
      const lines = phraseLines((key === 'vocabulary' ? vocabulary : exclude).input.value);
      const options = {numbers: lines.map(entry => entry.line), unit: 'line'};
      const list = lines.map(entry => entry.phrase);
      const problems = key === 'vocabulary' ? checkVocabulary(list, options)
        : checkExclude(list, options, phrases(vocabulary.input.value), lineName(phraseLines(vocabulary.input.value)));
      // a phrase's own problem ('?', a repeat) is shown as it is typed; the list's size once the box was left
      return problems.filter(p => (p.number === null ? attempted || left.has(key) : true)).map(p => p.number === null
        ? {field: sentence(label, p.message), summary: sentence(label, p.message)}
        : {field: `Line ${p.number}: ${p.message}`, summary: `${label}, line ${p.number}: ${p.message}`, line: p.number});
    }
    if (key === 'window' && windowAnchor.value && !(Number.isInteger(Number(windowSize.value)) && Number(windowSize.value) >= 1)) {
      const message = 'Enter a whole number of seconds or messages (1 or more).';
      return [{field: message, summary: `Where in the conversation: ${message}`}];
    }
    return [];
  }

  function problems() {
    return sections.map(section => ({section,
      list: [...localProblems(section.key), ...(serverProblems.get(section.key) ?? [])]}));
  }

  /** Shows every field's problems and, once a save was refused, the summary of what is left; true when none. */
  function check() {
    const lines = phraseLines(vocabulary.input.value);
    vocabularyCount.textContent = `${lines.length} of 5–50 phrases`;
    const numbered = {numbers: lines.map(entry => entry.line)};
    const listMarked = listMarkWarning(lines.map(entry => entry.phrase), numbered);
    const everywhere = everywherePhrases(lines.map(entry => entry.phrase), numbered);
    const warnings = [...(listMarked ? [listMarked.message] : []),
      ...everywhere.map(w => `Line ${w.number}: ${w.message}`)];
    fill(vocabularyWarning, ...warnings.map(text => h('span', {class: 'line'}, text)));
    vocabularyWarning.hidden = warnings.length === 0;
    tidyVocabulary.sync();
    tidyExclude.sync();
    const all = problems();
    for (const {section, list} of all) showError(section.parts, list.map(p => p.field));
    const remaining = all.filter(({list}) => list.length);
    if (summaryTitle) {
      if (remaining.length === 0 && serverGeneral.length === 0) {
        errorBox.hidden = true;
        summaryTitle = null;
      } else {
        fill(errorBox, h('p', {}, h('strong', {}, summaryTitle)), h('ul', {}, [
          ...remaining.flatMap(({section, list}) => list.map(p => h('li', {},
            h('button', {type: 'button', class: 'link', onclick: () => p.line ? selectLine(section.parts.input, p.line)
              : section.parts.input.focus()}, p.summary)))),
          ...serverGeneral.map(text => h('li', {}, text))]));
        errorBox.hidden = false;
      }
    }
    return remaining.length === 0;
  }

  for (const section of sections) {
    for (const input of section.inputs) {
      const changed = () => {
        touched.add(section.key);
        serverProblems.delete(section.key);
        check();
      };
      input.addEventListener('input', changed);
      input.addEventListener('change', changed);
    }
  }
  // vocabulary and exclusions are checked against each other
  vocabulary.input.addEventListener('input', () => { serverProblems.delete('exclude'); check(); });
  for (const [key, box] of [['vocabulary', vocabulary.input], ['exclude', exclude.input]]) {
    box.addEventListener('blur', () => {
      // only a box typed into (tabbing through an untouched one is not leaving it unfinished), and not once a save
      // was tried, when the count is shown already (drawing the summary again would take away the button pressed)
      if (attempted || !touched.has(key) || left.has(key)) return;
      left.add(key);
      // left with the mouse: the problem appearing under the box moves what is below it, and a button (Save) moved
      // between the press and the release would not be clicked; so it appears once the press is over
      if (pointerPressed) document.addEventListener('pointerup', () => setTimeout(check), {once: true});
      else check();
    });
  }

  function focusFirstProblem() {
    const first = problems().find(({list}) => list.length);
    if (!first) return;
    if (more.contains(first.section.parts.input)) more.open = true;
    first.section.parts.input.focus();
  }

  function body() {
    const result = {
      name: name.input.value.trim(),
      vocabulary: phrases(vocabulary.input.value),
      categories: categories.input.value.split(',').map(c => c.trim()).filter(Boolean),
    };
    if (tracker?.languages) result.languages = tracker.languages;
    if (description.input.value.trim()) result.description = description.input.value.trim();
    if (!sensitivityDefault.checked) result.sensitivity = Number(sensitivity.input.value);
    // the extension fields go only when they differ from their defaults, so a tracker without them stays a plain
    // Symbl tracker on the wire (and PUT resets what is left out to the default)
    if (speaker.input.value !== 'any') result.speaker = speaker.input.value;
    if (windowAnchor.value) result.window = {anchor: windowAnchor.value, [windowUnit.value]: Number(windowSize.value)};
    const excluded = phrases(exclude.input.value);
    if (excluded.length) result.exclude = excluded;
    return result;
  }

  async function submit(event) {
    event.preventDefault();
    attempted = true;
    serverGeneral = [];
    summaryTitle = 'The tracker was not saved. Fix these first:';
    if (!check()) {
      focusFirstProblem();
      return;
    }
    errorBox.hidden = true;
    summaryTitle = null;
    // on a slow connection the button says what is happening, and a second press (or Enter) sends nothing
    const saveLabel = save.textContent;
    save.disabled = true;
    save.textContent = 'Saving…';
    const sent = body();
    // the version this form was loaded with (the tracker's ETag): a change saved since, in another tab or by someone
    // else, is answered with a 412 instead of being overwritten unseen
    const response = tracker && !gone
      ? await call('PUT', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}`, sent,
        tracker.version === undefined ? {} : {headers: {'If-Match': `"${tracker.id}.v${tracker.version}"`}})
      : await call('POST', '/v1/manage/trackers', sent);
    save.disabled = false;
    save.textContent = saveLabel;
    await answered(response, sent);
  }

  /** What a save's answer does: back to the list once stored; else the problem, said where the user is. */
  async function answered(response, sent) {
    if (response.ok) {
      const ignored = ['speaker', 'window', 'exclude'].filter(key => sent[key] !== undefined && response.body.tracker[key] === undefined);
      saved = true;
      clearDraft(draftKey);
      listState.returnTo = response.body.tracker.id; // a new tracker too: the list opens at its row
      if (!page.isConnected) return;
      noticeForNextPage(`${tracker && !gone ? 'Saved' : 'Created'} “${response.body.tracker.name}”.`
        + (ignored.length ? ` This server does not support ${ignored.join(', ')} yet; they were not saved.` : ''));
      location.hash = '#/trackers';
      return;
    }
    if (response.status === 401) return; // sign-in follows; the draft keeps what was typed
    if (response.status === 412) {
      await showChangedSince(response);
      return;
    }
    showServerProblem(response);
  }

  /**
   * The tracker was saved elsewhere after this form was loaded, and nothing was stored. The box says which fields
   * that change touched (the current version read again) and offers to save the user's edits over it (the fields
   * the user changed, on top of the current version, the other change kept wherever the user changed nothing) or to
   * load the current version, discarding the edits. Until 2026-11-28 it said "Saving would overwrite that change"
   * and offered only the discarding.
   */
  async function showChangedSince(response) {
    const answer = await call('GET', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}`);
    if (answer.status === 401) return;
    if (answer.status === 404) {
      showServerProblem(answer); // deleted meanwhile: "Create it again"
      return;
    }
    const current = answer.ok ? answer.body.tracker : null;
    const now = current?.version ?? response.body?.version;
    const mine = changedFields(loadedBody, body());
    const theirs = current ? changedFields(bodyOf(tracker), bodyOf(current)) : [];
    const both = theirs.filter(key => mine.includes(key));
    const names = keys => keys.map(key => FIELD_NAMES[key] ?? key).join(', ');
    const saveMine = h('button', {type: 'button', class: 'primary', testid: 'tracker-save-anyway', onclick: async () => {
      const merged = {...bodyOf(current)};
      const edited = body();
      for (const key of mine) {
        if (edited[key] === undefined) delete merged[key];
        else merged[key] = edited[key];
      }
      saveMine.disabled = true;
      saveMine.textContent = 'Saving…';
      // the version just read, as If-Match: a change made after it is refused again, and said again
      const again = await call('PUT', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}`, merged,
        {headers: {'If-Match': `"${tracker.id}.v${current.version}"`}});
      if (again.ok || again.status === 401 || again.status === 412) await answered(again, merged);
      else {
        showServerProblem(again);
        return;
      }
      if (saveMine.isConnected) {
        saveMine.disabled = false;
        saveMine.textContent = 'Save mine anyway';
      }
    }}, 'Save mine anyway');
    fill(errorBox,
      h('p', {}, h('strong', {}, 'Not saved: this tracker was changed elsewhere since you opened it.')),
      h('p', {testid: 'tracker-changed-fields'}, `You edited version ${tracker.version}; it is at `
        + `${now === undefined ? 'a newer version' : `version ${now}`} now.`
        + (theirs.length ? ` That change touched: ${names(theirs)}.` : '')
        + (mine.length ? ` You changed: ${names(mine)}.` : '')
        + (both.length ? ` Both changed ${names(both)}: saving yours replaces that part of the other change.` : '')),
      h('p', {class: 'actions'},
        current ? saveMine : null,
        h('button', {type: 'button', testid: 'tracker-reload', onclick: () => {
          clearDraft(draftKey);
          saved = true; // the user chose to leave these edits
          renderEditor(page, id);
        }}, 'Load the current version')),
      h('p', {class: 'hint'}, current
        ? `“Save mine anyway” saves the fields you changed over the current version${theirs.length && both.length < theirs.length
          ? ' and keeps the rest of the other change' : ''}; “Load the current version” discards your edits here.`
        : '“Load the current version” discards your edits here; copy what you want to keep first.'));
    errorBox.hidden = false;
    errorBox.focus();
  }

  // the server's RFC 9457 problem: each errors[] entry next to the field its JSON path names
  function showServerProblem(response) {
    serverProblems.clear();
    serverGeneral = [];
    const errors = response.body?.errors ?? [];
    const add = (key, problem) => serverProblems.set(key, [...(serverProblems.get(key) ?? []), problem]);
    const vocabularyLines = phraseLines(vocabulary.input.value);
    const excludeLines = phraseLines(exclude.input.value);
    // the server numbers phrases as sent (blank lines left out); the page names the line
    const inPage = text => String(text ?? '')
      .replace(/\bvocabulary\[(\d+)\]/g, (_, i) => `the phrase on line ${vocabularyLines[Number(i)]?.line ?? Number(i) + 1}`)
      .replace(/\bexclude\[(\d+)\]/g, (_, i) => `the exclude phrase on line ${excludeLines[Number(i)]?.line ?? Number(i) + 1}`);
    for (const error of errors) {
      const path = parseFieldPath(error.field);
      const section = sections.find(s => s.key === path.field);
      const message = inPage(error.message);
      if (!section) {
        serverGeneral.push(error.field ? `${inWords(error.field)}: ${message}` : message);
      } else if (path.index !== null && (path.field === 'vocabulary' || path.field === 'exclude')) {
        const line = (path.field === 'vocabulary' ? vocabularyLines : excludeLines)[path.index]?.line ?? path.index + 1;
        add(section.key, {field: `Line ${line}: ${message}`, summary: `${section.label}, line ${line}: ${message}`, line});
      } else {
        const text = path.sub ? `${path.sub}: ${message}` : sentence(section.label, message);
        add(section.key, {field: text, summary: text.startsWith(section.label) ? text : `${section.label}: ${text}`});
      }
    }
    if (tracker && !gone && response.status === 404) {
      // deleted meanwhile (another tab, a colleague on the same account): what was typed can still become a tracker
      gone = true;
      save.textContent = 'Create it again';
      deleteButton?.remove();
      trackerActions?.remove(); // Copy ID and Teach would name a tracker that no longer exists
      serverGeneral.push(`“${tracker.name}” no longer exists: it was deleted, perhaps in another tab. Your changes are `
        + 'still here; “Create it again” saves them as a new tracker.');
      summaryTitle = 'The tracker was not saved:';
      check();
      errorBox.focus();
      return;
    }
    if (errors.length === 0 && response.body?.type?.endsWith('/tracker-name-taken')) {
      const message = problemText(response).replace(/^name: /, '');
      add('name', {field: sentence('Name', message), summary: `Name: ${message}`});
    } else if (errors.length === 0) {
      serverGeneral.push(problemText(response));
    }
    summaryTitle = 'The service refused to save the tracker:';
    check();
    errorBox.focus();
  }

  // the version a delete is confirmed for, sent as If-Match like the save's: a tracker changed elsewhere since the
  // editor loaded it (another tab, a colleague) is not deleted with that change unseen. "Delete anyway" moves it to
  // the version the refusal named, so a change made after that is refused again.
  let deleteTag = tracker?.version === undefined ? null : `"${tracker.id}.v${tracker.version}"`;
  const cancelDelete = h('button', {type: 'button', testid: 'cancel-delete', onclick: () => dialog.close()}, 'Cancel');
  const confirmDelete = h('button', {type: 'button', class: 'danger', testid: 'confirm-delete', onclick: async () => {
    const deleteLabel = confirmDelete.textContent;
    confirmDelete.disabled = true;
    cancelDelete.disabled = true;
    confirmDelete.textContent = 'Deleting…';
    const response = await call('DELETE', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}`, undefined,
      deleteTag === null ? {} : {headers: {'If-Match': deleteTag}});
    confirmDelete.disabled = false;
    cancelDelete.disabled = false;
    confirmDelete.textContent = deleteLabel;
    if (response.status === 412) {
      showDeleteChangedSince(response);
      return;
    }
    dialog.close();
    if (response.ok) {
      saved = true;
      clearDraft(draftKey);
      listState.deleted = tracker;
      if (page.isConnected) {
        noticeForNextPage(`Deleted “${tracker.name}”.`);
        location.hash = '#/trackers';
      } else {
        toast(`Deleted “${tracker.name}”.`);
      }
    } else if (response.status !== 401) {
      fill(errorBox, h('p', {}, h('strong', {}, 'The tracker was not deleted:')), h('ul', {}, h('li', {}, problemText(response))));
      errorBox.hidden = false;
      errorBox.focus();
    }
  }}, 'Delete');
  const deleteText = h('p', {id: 'delete-text'},
    'Conversations processed already keep their hits; new ones will not look for this tracker. This cannot be undone.');
  const loadCurrent = h('button', {type: 'button', testid: 'delete-reload', hidden: true, onclick: () => {
    dialog.close();
    clearDraft(draftKey);
    saved = true; // the user chose to leave this form
    renderEditor(page, id);
  }}, 'Load the current version');
  const deleteTitle = h('h2', {id: 'delete-title'}, `Delete “${tracker?.name ?? ''}”?`);
  const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'delete-title', 'aria-describedby': 'delete-text',
    testid: 'delete-dialog'},
    deleteTitle,
    deleteText,
    h('div', {class: 'actions'}, loadCurrent, confirmDelete, cancelDelete));

  // the tracker was changed elsewhere after the editor loaded it: nothing was deleted; the dialog says what changed
  // and lets the user look at it first (the safe choice, with the focus) or delete it anyway
  function showDeleteChangedSince(response) {
    const now = response.body?.version;
    fill(deleteTitle, `“${tracker.name}” was changed elsewhere`);
    fill(deleteText, h('strong', {}, 'Nothing was deleted. '),
      `You opened version ${tracker.version}; it is at ${now === undefined ? 'a newer version' : `version ${now}`} now, `
        + 'and deleting it would delete that change too. Load the current version to see it'
        + (isDirty() ? ' (your edits here are discarded)' : '') + ', or delete it anyway.');
    deleteText.setAttribute('role', 'alert');
    deleteTag = response.body?.etag ?? '*';
    confirmDelete.textContent = 'Delete anyway';
    loadCurrent.hidden = false;
    loadCurrent.focus();
  }

  const deleteButton = tracker ? h('button', {type: 'button', class: 'danger', testid: 'tracker-delete', onclick: () => {
    dialog.showModal();
    // one Enter must not delete: the safe choice has the focus
    cancelDelete.focus();
  }}, 'Delete…') : null;
  // Teach, a main feature, as the header's main action (it was a small button like Copy ID, easily passed over)
  const trackerActions = tracker ? h('div', {class: 'actions'},
    h('button', {type: 'button', class: 'small', testid: 'copy-id', onclick: () => copyId(tracker.id)}, 'Copy ID'),
    h('a', {class: 'button teach-link', href: `#/trackers/${encodeURIComponent(tracker.id)}/teach`, testid: 'teach-link'},
      'Teach it with examples')) : null;
  const form = h('form', {class: 'card editor', novalidate: true, onsubmit: submit},
    restoredBox, errorBox,
    // the simple fields first, then the conditions and tuning few trackers need: between Phrases and Description they
    // stood in the way of the fields every tracker has
    name.row, vocabulary.row, description.row, categories.row, more,
    h('div', {class: 'actions'},
      save,
      deleteButton,
      h('a', {href: '#/trackers', class: 'button', testid: 'tracker-cancel'}, 'Cancel')));
  form.addEventListener('input', () => { if (isDirty()) saveDraft(draftKey, snapshot()); else clearDraft(draftKey); });
  form.addEventListener('change', () => { if (isDirty()) saveDraft(draftKey, snapshot()); else clearDraft(draftKey); });

  // a draft of this tracker kept from before (a sign-in in the middle of the edit, a reload): the user's text wins
  const draft = loadDraft(draftKey);
  // the fields the draft gave back: the first of them is shown and focused once the page is drawn
  let restoredInputs = [];
  if (draft && JSON.stringify({...snapshot(), ...draft}) !== initial) {
    const before = snapshot();
    apply(draft);
    const after = snapshot();
    restoredInputs = [...Object.entries(inputs).filter(([key]) => after[key] !== before[key]).map(([, input]) => input),
      ...(after.sensitivityDefault !== before.sensitivityDefault ? [sensitivityDefault] : [])];
    fill(restoredBox, h('p', {}, 'Your changes that were not saved are back. Save them, or ',
      h('button', {type: 'button', class: 'link', testid: 'draft-discard', onclick: () => {
        clearDraft(draftKey);
        saved = true; // nothing of the draft to protect any more
        renderEditor(page, id);
      }}, 'discard them'), '.'));
    restoredBox.hidden = false;
    for (const section of sections) touched.add(section.key);
  }
  more.open = Boolean(speaker.input.value !== 'any' || windowAnchor.value || exclude.input.value.trim() || !sensitivityDefault.checked);
  syncWindow();
  syncSensitivity();
  guardUnsaved(page, isDirty, discard);

  fill(page,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/trackers'}, '← Trackers')),
    h('div', {class: 'page-head'},
      h('h1', {}, tracker ? tracker.name : 'New tracker'),
      trackerActions),
    tracker ? h('p', {class: 'hint'}, `ID ${tracker.id} · version ${tracker.version ?? 1} · changed ${formatMinute(tracker.updatedOn)}`) : null,
    form, dialog);
  check();
  // after a sign-in in the middle of an edit, the changed field may be far down (the exclusions, under "Conditions and
  // tuning"): it is brought into view with the focus, so the user sees that the edit is back where it was made
  const first = restoredInputs.sort((a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)[0];
  if (first && page.isConnected) {
    if (more.contains(first)) more.open = true;
    first.focus({preventScroll: true});
    first.scrollIntoView({block: 'center'});
  }
}
