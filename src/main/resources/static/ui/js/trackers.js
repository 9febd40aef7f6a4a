// Trackers: the list (search, sort, counts, copy ID, bulk import) and the editor (create / edit / delete).
import {call, isMissingRoute, problemText} from './api.js';
import {h, fill, field, showError, toast, formatDate} from './dom.js';
import {phrases, checkVocabulary, checkExclude, checkName, parseFieldPath} from './rules.js';

const SORTS = {
  name: (a, b) => a.name.localeCompare(b.name),
  created: (a, b) => (b.createdOn ?? '').localeCompare(a.createdOn ?? ''),
  updated: (a, b) => (b.updatedOn ?? '').localeCompare(a.updatedOn ?? ''),
  phrases: (a, b) => b.vocabulary.length - a.vocabulary.length || a.name.localeCompare(b.name),
};

// remembered while the tab lives, so going back to the list keeps what the user chose
const listState = {query: '', sort: 'name'};

export async function copyId(id) {
  try {
    await navigator.clipboard.writeText(id);
    toast('Tracker ID copied to the clipboard.');
  } catch {
    toast(`Copy was not allowed here; the ID is ${id}`);
  }
}

export async function renderList(main) {
  fill(main, h('h1', {}, 'Trackers'), h('p', {class: 'loading'}, 'Loading trackers…'));
  const response = await call('GET', '/v1/manage/trackers');
  if (!response.ok) {
    if (response.status !== 401) fill(main, h('h1', {}, 'Trackers'), h('p', {class: 'problem', role: 'alert'}, problemText(response)));
    return;
  }
  const trackers = response.body.trackers;
  const exampleCounts = new Map();

  const search = h('input', {type: 'search', id: 'tracker-search', value: listState.query, testid: 'tracker-search',
    placeholder: 'Name or phrase', oninput: () => { listState.query = search.value; draw(); }});
  const sort = h('select', {id: 'tracker-sort', testid: 'tracker-sort', onchange: () => { listState.sort = sort.value; draw(); }},
    h('option', {value: 'name'}, 'Name (A–Z)'),
    h('option', {value: 'created'}, 'Newest first'),
    h('option', {value: 'updated'}, 'Recently changed'),
    h('option', {value: 'phrases'}, 'Most phrases'));
  sort.value = listState.sort;
  const importInput = h('input', {type: 'file', id: 'tracker-import', accept: '.json,application/json', class: 'visually-hidden',
    testid: 'tracker-import', onchange: () => importFile(importInput.files[0])});
  const importResult = h('div', {class: 'import-result', role: 'status', 'aria-live': 'polite', testid: 'import-result'});
  const list = h('ul', {class: 'tracker-list', testid: 'tracker-list'});
  const count = h('p', {class: 'hint', 'aria-live': 'polite'});

  fill(main,
    h('div', {class: 'page-head'},
      h('h1', {}, 'Trackers'),
      h('div', {class: 'actions'},
        h('a', {href: '#/trackers/new', class: 'button primary', testid: 'new-tracker'}, 'New tracker'),
        h('label', {for: 'tracker-import', class: 'button'}, 'Import JSON…'), importInput)),
    importResult,
    h('div', {class: 'toolbar'},
      h('div', {class: 'field inline'}, h('label', {for: 'tracker-search'}, 'Search'), search),
      h('div', {class: 'field inline'}, h('label', {for: 'tracker-sort'}, 'Sort by'), sort)),
    count, list);
  draw();
  loadExampleCounts();

  function draw() {
    const query = listState.query.trim().toLowerCase();
    const shown = trackers
      .filter(t => !query || t.name.toLowerCase().includes(query) || t.vocabulary.some(p => p.toLowerCase().includes(query)))
      .sort(SORTS[listState.sort]);
    count.textContent = trackers.length === 0 ? ''
      : query ? `${shown.length} of ${trackers.length} trackers match “${listState.query.trim()}”.` : `${trackers.length} trackers.`;
    if (trackers.length === 0) {
      fill(list, h('li', {class: 'empty'}, 'No trackers yet. Create one with “New tracker”, or import a JSON file.'));
      return;
    }
    fill(list, shown.map(tracker => {
      const examples = exampleCounts.get(tracker.id);
      return h('li', {class: 'tracker-row', testid: 'tracker-row', dataset: {id: tracker.id},
        onclick: event => { if (!event.target.closest('button, a')) location.hash = `#/trackers/${encodeURIComponent(tracker.id)}`; }},
        h('a', {href: `#/trackers/${encodeURIComponent(tracker.id)}`, class: 'tracker-name'}, tracker.name),
        h('span', {class: 'meta'},
          h('span', {}, `${tracker.vocabulary.length} phrases`),
          examples === undefined ? null : h('span', {}, `${examples} examples`),
          tracker.speaker && tracker.speaker !== 'any' ? h('span', {class: 'tag'}, tracker.speaker) : null,
          (tracker.categories ?? []).map(c => h('span', {class: 'tag'}, c)),
          h('span', {class: 'date'}, `changed ${formatDate(tracker.updatedOn)}`)),
        h('button', {type: 'button', class: 'small', 'aria-label': `Copy the ID of ${tracker.name}`,
          onclick: () => copyId(tracker.id)}, 'Copy ID'));
    }));
  }

  async function loadExampleCounts() {
    if (trackers.length === 0) return;
    const first = await call('GET', `/v1/manage/trackers/${encodeURIComponent(trackers[0].id)}/examples`);
    if (!first.ok) return; // the teaching API is not on this server: no example counts
    exampleCounts.set(trackers[0].id, first.body.examples.length);
    const queue = trackers.slice(1);
    const worker = async () => {
      for (let tracker = queue.shift(); tracker; tracker = queue.shift()) {
        const answer = await call('GET', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}/examples`);
        if (answer.ok) exampleCounts.set(tracker.id, answer.body.examples.length);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    draw();
  }

  async function importFile(file) {
    if (!file) return;
    let parsed;
    try {
      parsed = JSON.parse(await file.text());
    } catch (error) {
      showImportProblem(`${file.name} is not valid JSON: ${error.message}`, []);
      return;
    }
    const items = Array.isArray(parsed) ? parsed : parsed?.trackers;
    if (!Array.isArray(items)) {
      showImportProblem(`${file.name} must hold a JSON array of trackers (or {"trackers": [...]}), as the bulk API takes.`, []);
      return;
    }
    const response = await call('POST', '/v1/manage/trackers/bulk', items);
    importInput.value = '';
    if (response.ok) {
      toast(`Imported ${response.body.trackers.length} trackers.`);
      renderList(main);
    } else if (response.status !== 401) {
      showImportProblem(`Nothing was imported from ${file.name}: every tracker must be valid.`,
        (response.body?.errors ?? []).map(e => {
          const name = items[e.index]?.name;
          return `${e.index !== undefined ? `Tracker ${e.index + 1}${name ? ` (“${name}”)` : ''}: ` : ''}${e.field ? `${e.field}: ` : ''}${e.message}`;
        }), response);
    }
  }

  function showImportProblem(summary, lines, response) {
    fill(importResult, h('div', {class: 'problem-box', role: 'alert'},
      h('p', {}, summary),
      lines.length ? h('ul', {}, lines.map(line => h('li', {}, line))) : response ? h('p', {}, problemText(response)) : null));
  }
}

export async function renderEditor(main, id) {
  let tracker = null;
  if (id) {
    fill(main, h('p', {class: 'loading'}, 'Loading tracker…'));
    const response = await call('GET', `/v1/manage/trackers/${encodeURIComponent(id)}`);
    if (!response.ok) {
      if (response.status !== 401) fill(main, h('h1', {}, 'Tracker'), h('p', {class: 'problem', role: 'alert'}, problemText(response)),
        h('a', {href: '#/trackers'}, 'Back to the trackers'));
      return;
    }
    tracker = response.body.tracker;
  }

  const name = field('Name', h('input', {name: 'name', required: true, maxlength: 200, testid: 'tracker-name', value: tracker?.name ?? ''}));
  const description = field('Description (optional)', h('input', {name: 'description', testid: 'tracker-description', value: tracker?.description ?? ''}));
  const vocabulary = field('Phrases',
    h('textarea', {name: 'vocabulary', rows: 10, testid: 'tracker-vocabulary', spellcheck: true}),
    'One phrase per line, 5 to 50 phrases. Letters, digits, spaces and . \' - only; no duplicates.');
  vocabulary.input.value = (tracker?.vocabulary ?? []).join('\n');
  const vocabularyCount = h('p', {class: 'counter', 'aria-live': 'polite', testid: 'vocabulary-count'});
  vocabulary.row.insertBefore(vocabularyCount, vocabulary.error);
  const categories = field('Categories (optional)', h('input', {name: 'categories', testid: 'tracker-categories',
    value: (tracker?.categories ?? []).join(', ')}), 'Separated by commas.');

  const sensitivityValue = h('output', {for: 'tracker-sensitivity'});
  const sensitivityDefault = h('input', {type: 'checkbox', id: 'sensitivity-default', testid: 'sensitivity-default',
    checked: tracker?.sensitivity === undefined || tracker?.sensitivity === null});
  const sensitivity = field('Sensitivity', h('input', {type: 'range', id: 'tracker-sensitivity', min: 0, max: 1, step: 0.05,
    testid: 'tracker-sensitivity', value: String(tracker?.sensitivity ?? 0.5)}), 'Higher finds more hits (and more false ones).');
  sensitivity.row.insertBefore(h('div', {class: 'inline-options'}, sensitivityValue,
    h('label', {class: 'check'}, sensitivityDefault, ' Use the calibrated default')), sensitivity.error);

  const speaker = field('Who must say it', h('select', {name: 'speaker', testid: 'tracker-speaker'},
    h('option', {value: 'any'}, 'Anyone'),
    h('option', {value: 'agent'}, 'The agent'),
    h('option', {value: 'customer'}, 'The customer')), 'Messages carry their speaker\'s role as from.role.');
  speaker.input.value = tracker?.speaker ?? 'any';

  const windowAnchor = h('select', {id: 'window-anchor', testid: 'tracker-window-anchor'},
    h('option', {value: ''}, 'Anywhere in the conversation'),
    h('option', {value: 'start'}, 'Within the first'),
    h('option', {value: 'end'}, 'Within the last'));
  const windowSize = h('input', {type: 'number', min: 1, step: 1, id: 'window-size', testid: 'tracker-window-size',
    'aria-label': 'Window size', inputmode: 'numeric'});
  const windowUnit = h('select', {id: 'window-unit', 'aria-label': 'Window unit', testid: 'tracker-window-unit'},
    h('option', {value: 'seconds'}, 'seconds'), h('option', {value: 'messages'}, 'messages'));
  const savedWindow = tracker?.window;
  if (savedWindow) {
    windowAnchor.value = savedWindow.anchor;
    windowUnit.value = savedWindow.messages !== undefined && savedWindow.messages !== null ? 'messages' : 'seconds';
    windowSize.value = savedWindow.messages ?? savedWindow.seconds ?? '';
  }
  const windowError = h('p', {class: 'field-error', id: 'window-error', hidden: true});
  const windowGroup = h('fieldset', {class: 'field window', 'aria-describedby': 'window-error'},
    h('legend', {}, 'Where in the conversation'),
    h('div', {class: 'inline-options'}, windowAnchor, windowSize, windowUnit), windowError);
  const windowParts = {input: windowAnchor, error: windowError};

  const exclude = field('Exclude (optional)', h('textarea', {name: 'exclude', rows: 3, testid: 'tracker-exclude'}),
    'One phrase per line: a sentence that matches one of these is not a hit (e.g. “not planning to switch”).');
  exclude.input.value = (tracker?.exclude ?? []).join('\n');

  const errorBox = h('div', {class: 'problem-box', role: 'alert', tabindex: -1, hidden: true, testid: 'tracker-error'});
  const save = h('button', {type: 'submit', class: 'primary', testid: 'tracker-save'}, tracker ? 'Save changes' : 'Create tracker');

  function syncWindow() {
    const on = windowAnchor.value !== '';
    windowSize.disabled = !on;
    windowUnit.disabled = !on;
  }
  windowAnchor.addEventListener('change', syncWindow);
  syncWindow();
  function syncSensitivity() {
    sensitivity.input.disabled = sensitivityDefault.checked;
    sensitivityValue.textContent = sensitivityDefault.checked ? 'default' : Number(sensitivity.input.value).toFixed(2);
  }
  sensitivity.input.addEventListener('input', syncSensitivity);
  sensitivityDefault.addEventListener('change', syncSensitivity);
  syncSensitivity();

  // the rules, checked as the user types; returns true when nothing is wrong
  function checkLocally() {
    const list = phrases(vocabulary.input.value);
    vocabularyCount.textContent = `${list.length} of 5–50 phrases`;
    const vocabularyProblems = checkVocabulary(list).map(p => p.line ? `Phrase ${p.line}: ${p.message}` : p.message);
    showError(vocabulary, vocabularyProblems);
    const excludeProblems = checkExclude(phrases(exclude.input.value)).map(p => p.line ? `Phrase ${p.line}: ${p.message}` : p.message);
    showError(exclude, excludeProblems);
    const nameProblems = name.input.value.length ? checkName(name.input.value) : [];
    showError(name, nameProblems);
    const windowProblems = windowAnchor.value && !(Number.isInteger(Number(windowSize.value)) && Number(windowSize.value) >= 1)
      ? ['Enter a whole number of seconds or messages (1 or more).'] : [];
    showError(windowParts, windowProblems);
    return vocabularyProblems.length + excludeProblems.length + nameProblems.length + windowProblems.length === 0;
  }
  for (const input of [vocabulary.input, exclude.input, name.input, windowSize, windowAnchor]) {
    input.addEventListener('input', checkLocally);
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

  const fieldsByName = {name, vocabulary, description, categories, sensitivity, speaker, window: windowParts, exclude};

  function showRefusal(summary, problems) {
    fill(errorBox, h('p', {}, h('strong', {}, summary)), h('ul', {}, problems.map(p => h('li', {}, p))));
    errorBox.hidden = false;
  }

  async function submit(event) {
    event.preventDefault();
    errorBox.hidden = true;
    if (!name.input.value.trim()) showError(name, ['is required']);
    if (!checkLocally() || !name.input.value.trim()) {
      const problems = [...main.querySelectorAll('.field-error:not([hidden])')]
        .map(element => `${element.closest('.field')?.querySelector('label, legend')?.textContent}: ${element.textContent}`);
      showRefusal('The tracker was not saved. Fix these first:', problems);
      main.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    save.disabled = true;
    const response = tracker
      ? await call('PUT', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}`, body())
      : await call('POST', '/v1/manage/trackers', body());
    save.disabled = false;
    if (response.ok) {
      const sent = body();
      const ignored = ['speaker', 'window', 'exclude'].filter(key => sent[key] !== undefined && response.body.tracker[key] === undefined);
      toast(`${tracker ? 'Saved' : 'Created'} “${response.body.tracker.name}”.`
        + (ignored.length ? ` This server does not support ${ignored.join(', ')} yet; they were not saved.` : ''));
      location.hash = '#/trackers';
      return;
    }
    if (response.status === 401) return;
    showServerProblem(response);
  }

  // the server's RFC 9457 problem: each errors[] entry next to the field its JSON path names
  function showServerProblem(response) {
    const perField = new Map();
    const general = [];
    const errors = response.body?.errors ?? [];
    for (const error of errors) {
      const path = parseFieldPath(error.field);
      const target = fieldsByName[path.field];
      if (!target) {
        general.push(error.field ? `${error.field}: ${error.message}` : error.message);
        continue;
      }
      const text = path.index !== null ? `Phrase ${path.index + 1}: ${error.message}`
        : path.sub ? `${path.sub}: ${error.message}` : error.message;
      perField.set(target, [...(perField.get(target) ?? []), text]);
    }
    if (errors.length === 0 && response.body?.type?.endsWith('/tracker-name-taken')) {
      perField.set(name, [problemText(response).replace(/^name: /, '')]);
    } else if (errors.length === 0) {
      general.push(problemText(response));
    }
    for (const [target, messages] of perField) showError(target, messages);
    const labelOf = target => target.input.closest('.field')?.querySelector('label, legend')?.textContent ?? '';
    showRefusal('The service refused to save the tracker:', [
      ...[...perField].flatMap(([target, messages]) => messages.map(m => `${labelOf(target)}: ${m}`)),
      ...general]);
    errorBox.focus();
  }

  const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'delete-title', testid: 'delete-dialog'},
    h('h2', {id: 'delete-title'}, `Delete “${tracker?.name ?? ''}”?`),
    h('p', {}, 'Conversations processed already keep their hits; new ones will not look for this tracker. This cannot be undone.'),
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'danger', testid: 'confirm-delete', onclick: async () => {
        const response = await call('DELETE', `/v1/manage/trackers/${encodeURIComponent(tracker.id)}`);
        dialog.close();
        if (response.ok) {
          toast(`Deleted “${tracker.name}”.`);
          location.hash = '#/trackers';
        } else if (response.status !== 401) {
          showRefusal('The tracker was not deleted:', [problemText(response)]);
        }
      }}, 'Delete'),
      h('button', {type: 'button', testid: 'cancel-delete', onclick: () => dialog.close()}, 'Cancel')));

  fill(main,
    h('p', {class: 'breadcrumb'}, h('a', {href: '#/trackers'}, '← Trackers')),
    h('div', {class: 'page-head'},
      h('h1', {}, tracker ? tracker.name : 'New tracker'),
      tracker ? h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'small', testid: 'copy-id', onclick: () => copyId(tracker.id)}, 'Copy ID'),
        h('a', {class: 'button small', href: `#/trackers/${encodeURIComponent(tracker.id)}/teach`, testid: 'teach-link'}, 'Teach')) : null),
    tracker ? h('p', {class: 'hint'}, `ID ${tracker.id} · version ${tracker.version ?? 1} · changed ${formatDate(tracker.updatedOn)}`) : null,
    h('form', {class: 'card editor', novalidate: true, onsubmit: submit},
      errorBox,
      name.row, vocabulary.row,
      h('details', {class: 'more', open: Boolean(tracker?.speaker && tracker.speaker !== 'any') || Boolean(savedWindow) || Boolean(tracker?.exclude?.length)
        || (tracker?.sensitivity !== undefined && tracker?.sensitivity !== null)},
        h('summary', {}, 'Conditions and tuning'),
        speaker.row, windowGroup, exclude.row, sensitivity.row),
      description.row, categories.row,
      h('div', {class: 'actions'},
        save,
        tracker ? h('button', {type: 'button', class: 'danger', testid: 'tracker-delete', onclick: () => dialog.showModal()}, 'Delete…') : null,
        h('a', {href: '#/trackers', class: 'button'}, 'Cancel'))),
    dialog);
  checkLocally();
  if (!tracker) showError(vocabulary, []);
  name.input.focus();
}
