// Teach a tracker: label suggested sentences as match / no match, see its examples and its estimated quality
// (api.md "Teaching a tracker").
import {call, isMissingRoute, problemText} from './api.js';
import {h, fill, field, showError, toast, formatMinute, score, pageProblem, notThere, whileBusy, plural} from './dom.js';
import {keepDrafted, clearDraft, backHere} from './nav.js';
import {PAGE_SIZE, count, countLine, pager, containsSearched} from './pagedlist.js';

const BATCH = 10;
// the most suggestions one request may ask for (the service's limit)
const MAX_SUGGESTIONS = 100;
// how many labels Undo can take back, one after the other (the latest first)
const UNDO_DEPTH = 50;
// the keys of the labelling loop (event.key, letters in lower case); shown under the suggestions' heading
const KEYS = {y: 'match', m: 'match', n: 'no-match', s: 'next', j: 'next', ArrowRight: 'next', k: 'back',
  ArrowLeft: 'back', u: 'undo'};

export async function render(page, id) {
  fill(page, h('h1', {}, 'Teach'), h('p', {class: 'loading'}, 'Loading…'));
  const trackerResponse = await call('GET', `/v1/manage/trackers/${encodeURIComponent(id)}`);
  if (!trackerResponse.ok) {
    if (trackerResponse.status === 404) {
      notThere(page, 'tracker', {href: '#/trackers', text: 'Back to the trackers'});
    } else if (trackerResponse.status !== 401) {
      pageProblem(page, 'Teach', problemText(trackerResponse), {back: {href: '#/trackers', text: 'Back to the trackers'}});
    }
    return;
  }
  const tracker = trackerResponse.body.tracker;
  const base = `/v1/manage/trackers/${encodeURIComponent(id)}`;
  // answers to quick successive labels can arrive out of order (an estimate takes up to seconds, more with many
  // examples): only the latest request's answer is drawn, so an older list or estimate never replaces a newer one
  let examplesAsked = 0;
  let qualityAsked = 0;
  // what changed since the page opened, for "F1 0.62 → 0.71 after 12 labels": labels stored (less those undone) and
  // examples removed; the estimate of the examples as they were when the page opened (undefined until it is answered,
  // null if it could not be had), and the estimate on show with the changes it was asked after
  let labelsGiven = 0;
  let removals = 0;
  let estimateAtOpen;
  let shownEstimate = null;
  // labels Undo can take back, the latest last: {sentence, match, stored, before, counted, putBack}
  const undoable = [];
  let undoing = false;
  // the suggestion the keys act on (an <li>), and the list it is in
  let current = null;
  let items = null;
  const parts = new WeakMap(); // suggestion <li> → {choose, buttons, text, list}
  // sentences passed over with "Other sentences", not offered again while the page is open: they are no examples,
  // so the service suggests them again, and a batch whose sentences the user cannot answer was a dead end (skipped
  // to its last sentence, S did nothing, and new sentences came only once every one of them was labelled)
  const passedOver = new Set();

  /**
   * A 404 from a teaching call: if the tracker itself is gone (deleted in another tab, or by a colleague), the page
   * says so in place of buttons that could only fail, and offers the way back; true then. An example removed
   * meanwhile is not that: false.
   */
  async function trackerGone(response) {
    if (response.status !== 404) return false;
    const still = await call('GET', base);
    if (still.status !== 404) return false;
    pageProblem(page, `Teach “${tracker.name}”`, `“${tracker.name}” no longer exists: it was deleted, perhaps in `
      + 'another tab, and its examples with it. Nothing more can be labelled for it.',
      {back: {href: '#/trackers', text: 'Back to the trackers'}});
    page.querySelector('[data-testid=page-back]')?.focus();
    return true;
  }
  // the estimate takes a moment (each example decided with the others left out): said, not an empty box meanwhile
  const quality = h('section', {class: 'card estimate', 'aria-labelledby': 'quality-title', testid: 'teach-quality'},
    h('h2', {id: 'quality-title'}, 'Estimated quality'), h('p', {class: 'loading'}, 'Estimating from the examples…'));
  const moved = h('p', {class: 'moved', testid: 'quality-delta', hidden: true});
  // the card must not grow while the trainer labels: at the top of the page it pushed the sentence being labelled
  // down a little at each label (the note "Updating…" came and went above the figures, the line on how they moved
  // appeared under them). The line under the figures has its room from the start, says "Updating…" in place of how
  // they moved while a new estimate is on its way, and the card keeps the tallest height it had (until the window
  // is resized), so the sentence stays where it is when a shorter text follows a longer one
  const qualityNote = h('div', {class: 'quality-note', testid: 'quality-note'});
  let qualityHeight = 0;
  const keepQualityHeight = () => {
    const height = quality.getBoundingClientRect().height;
    if (height > qualityHeight) {
      qualityHeight = height;
      quality.style.minHeight = `${height}px`;
    }
  };
  const onResize = () => {
    if (!quality.isConnected) {
      window.removeEventListener('resize', onResize);
      return;
    }
    qualityHeight = 0;
    quality.style.minHeight = '';
    keepQualityHeight();
  };
  window.addEventListener('resize', onResize);
  const suggestions = h('section', {class: 'card labelling', 'aria-labelledby': 'suggestions-title', testid: 'teach-suggestions'});
  // the keys, said where the labelling is (a tooltip is found by nobody); typed in a text box they are text
  // each key with what it does, unbroken: a line that wraps between "S or →" and "skip" reads as two hints
  const keyAndAction = (keys, action) => h('span', {class: 'key'},
    keys.flatMap((key, index) => [index ? ' or ' : null, h('kbd', {}, key)]), ` ${action}`);
  const keysHint = h('p', {class: 'hint keys', testid: 'suggestions-keys'}, 'Keys: ',
    [keyAndAction(['Y'], 'match'), keyAndAction(['N'], 'no match'), keyAndAction(['S', '→'], 'skip'),
      keyAndAction(['K', '←'], 'back'), keyAndAction(['U'], 'undo')].flatMap((pair, index) => [index ? ' · ' : null, pair]));
  // the last label and its Undo, kept until the next one (a toast would be gone in 3 s), where that label was given:
  // above the suggestions, under the sentence box, or in the example's row. At 390 px the examples list is below the
  // suggestions, so a line kept above them said "Changed … Undo" out of sight of the example just changed
  const lastLabel = h('div', {class: 'last-label', testid: 'last-label', role: 'status'});
  let lastLabelAt = {card: 'suggestions'}; // or {card: 'examples', exampleId}: the row, or (none) under the box
  const examples = h('section', {class: 'card', 'aria-labelledby': 'examples-title', testid: 'teach-examples'});
  const examplesTitle = h('h2', {id: 'examples-title'}, 'Examples');
  // the list alone is drawn again after each change: the title and the sentence box stay, so the box keeps the
  // focus (drawn again, it lost it after each sentence added with Enter, and the next one was typed into nothing)
  const examplesList = h('div', {testid: 'examples-list'});
  // the examples newest first (the label just given on top, not at the end of up to 1,000), in pages of 50 as the
  // other long lists are, and shown all, or the matches or the non-matches alone, each with its count
  let allExamples = [];
  let shownKind = 'all';
  let examplesPage = 1;
  const kinds = [['all', 'All'], ['match', 'Matches'], ['no-match', 'Non-matches']];
  const kindButtons = new Map(kinds.map(([kind]) => [kind, h('button', {type: 'button', class: 'small',
    testid: `examples-show-${kind}`, 'aria-pressed': String(kind === shownKind), onclick: () => {
      shownKind = kind;
      examplesPage = 1;
      drawExamplesPage();
      sayWhatIsShown();
    }})]));
  const examplesShown = h('div', {class: 'examples-shown', role: 'group', 'aria-label': 'Examples shown'},
    [...kindButtons.values()]);
  // a sentence labelled weeks ago is found by a word of it, within the kind shown: among 1,000 examples in pages of
  // 50 it could not be found otherwise. A text box, so the labelling keys are text in it (onKey)
  const examplesSearch = h('input', {type: 'search', id: 'examples-search', testid: 'examples-search',
    placeholder: 'A word of the sentence', oninput: () => {
      examplesPage = 1; // what the search found, from its first row
      drawExamplesPage();
      sayWhatIsShown();
    }});
  const searchSaid = h('span', {class: 'visually-hidden', role: 'status', testid: 'examples-search-said'});
  const examplesSearchRow = h('div', {class: 'field inline examples-search'},
    h('label', {for: examplesSearch.id}, 'Search the examples'), examplesSearch, searchSaid);
  const examplesCount = h('p', {class: 'hint', testid: 'examples-count'});
  const examplesPages = pager('Pages of the examples', 'examples-pages', number => {
    examplesPage = number;
    drawExamplesPage();
    examplesList.querySelector('[data-testid=example] button')?.focus();
  });
  // no maxlength: the browser would cut a longer paste silently and store the cut-off sentence; the service says
  // how long it is and the limit, at the box
  const text = field('Add an example sentence', h('input', {testid: 'example-text'}),
    'Enter adds it as a match; “No match” adds it as a non-match.');
  const draftKey = `teach ${id}`;
  keepDrafted(draftKey, {text: text.input});
  // a problem with the sentence is shown at it, announced, until the sentence changes
  text.error.setAttribute('role', 'alert');
  text.input.addEventListener('input', () => showError(text, []));
  const addMatch = h('button', {type: 'submit', testid: 'example-add-match'}, 'Match');
  const addNoMatch = h('button', {type: 'button', testid: 'example-add-no-match', onclick: () => addTyped(false)}, 'No match');
  // Enter in the sentence submits the form: its first button, "Match"
  const addForm = h('form', {class: 'inline-form', novalidate: true, onsubmit: event => {
    event.preventDefault();
    addTyped(true);
  }}, text.row, h('div', {class: 'actions'}, addMatch, addNoMatch));
  fill(examples, examplesTitle, addForm, examplesSearchRow, examplesShown, examplesCount, examplesList, examplesPages.element);

  fill(page,
    h('p', {class: 'breadcrumb'}, h('a', {href: `#/trackers/${encodeURIComponent(id)}`}, `← ${tracker.name}`)),
    h('h1', {}, `Teach “${tracker.name}”`),
    h('p', {class: 'hint'}, 'Examples change how the tracker decides; they never change its phrases.'),
    // labelling the suggestions is the page's main task: the wide column (it had a third of 1280 px, each sentence
    // wrapping to three lines, beside a mostly empty examples panel twice as wide), under the estimate across the page;
    // on a phone it comes first, the estimate under it (app.css .teach-columns): the estimate took the whole first screen
    h('div', {class: 'columns wide-first teach-columns'}, quality, suggestions, examples));

  const first = await call('GET', `${base}/examples`);
  if (!first.ok) {
    if (first.status === 401) return;
    fill(quality, h('h2', {id: 'quality-title'}, 'Not available'),
      h('p', {testid: 'teach-unavailable'}, isMissingRoute(first)
        ? 'This server cannot be taught with examples yet.' : problemText(first)));
    suggestions.remove();
    examples.remove();
    return;
  }
  drawExamples(first.body.examples);
  document.addEventListener('keydown', onKey);
  await Promise.all([loadQuality(), loadSuggestions()]);

  async function addTyped(match) {
    const value = text.input.value.trim();
    if (!value) {
      showError(text, ['Enter a sentence first.']);
      text.input.focus();
      return;
    }
    if (addMatch.disabled) return; // still saving the last one
    addMatch.disabled = true;
    addNoMatch.disabled = true;
    // what the service refuses about the sentence (its text field) is said at the box, which keeps the sentence
    const stored = await label(value, match, {where: {card: 'examples'},
      refusedText: problem => {
        showError(text, [problem]);
        text.input.focus();
      },
      // undone: the sentence is back in the box (unless something new was typed there meanwhile)
      putBack: () => {
        if (!text.input.value.trim()) text.input.value = value;
        text.input.focus();
      }});
    addMatch.disabled = false;
    addNoMatch.disabled = false;
    if (stored) {
      text.input.value = '';
      clearDraft(draftKey);
      text.input.focus();
    }
  }

  /**
   * Stores an example and answers {stored, listed} (listed: the list drawn again), or null. refusedText(message): where
   * to say what the service refused about the text, if not a toast; putBack(): given, the label can be undone, and
   * putBack shows again what was labelled. The estimate is asked for in the background: the next sentence need not
   * wait for it (it takes seconds with many examples).
   */
  async function label(sentence, match, {refusedText, putBack, where = {card: 'suggestions'}} = {}) {
    const response = await call('POST', `${base}/examples`, {text: sentence, match});
    if (!response.ok) {
      if (await trackerGone(response)) return null;
      const textProblem = (response.body?.errors ?? []).find(error => error.field === 'text');
      if (refusedText && textProblem) refusedText(`The sentence ${textProblem.message}`);
      else if (String(response.body?.type).endsWith('/example-limit-reached')) showFull(refusedText);
      else if (response.status !== 401) toast(problemText(response));
      return null;
    }
    const stored = response.body?.examples?.[0];
    // the service keeps one example per text: a text it already had is relabelled in place (same id), and undoing
    // that puts its earlier label back instead of removing an example the user had before. Which one it was, the
    // answer says ("previous", read as the write happened): the list drawn earlier cannot, as another tab may have
    // added the text since
    const before = stored?.previous ? {text: stored.text, match: stored.previous.match} : null;
    const counted = !before || before.match !== match;
    if (counted) labelsGiven += 1;
    if (putBack && stored) {
      undoable.push({sentence, match, stored, before, counted, putBack, where});
      if (undoable.length > UNDO_DEPTH) undoable.shift();
      drawLastLabel(before && before.match !== match
        ? `Changed “${shortened(sentence)}” to ${match ? 'a match' : 'a non-match'}.`
        : `Saved “${shortened(sentence)}” as ${match ? 'a match' : 'a non-match'}.`, {undone: false, where});
    } else {
      toast(match ? 'Saved as a match.' : 'Saved as a non-match.');
    }
    const listed = reloadExamples();
    loadQuality();
    return {stored, listed};
  }

  /** A long sentence in a line that names it: its start is enough to recognise it, the list has it whole. */
  function shortened(sentence) {
    const characters = [...sentence];
    return characters.length > 60 ? `${characters.slice(0, 57).join('').trimEnd()}…` : sentence;
  }

  /**
   * The last label's line, where that label was given (where): what just happened, and Undo for the latest label
   * still undoable (after an undo, the label before it, named).
   */
  function drawLastLabel(said, {undone, where}) {
    lastLabelAt = where;
    placeLastLabel();
    const latest = undoable.at(-1);
    const earlier = latest && undone
      ? ` Before it: “${shortened(latest.sentence)}” saved as ${latest.match ? 'a match' : 'a non-match'}.` : '';
    fill(lastLabel, said + earlier, latest ? [' ', h('button', {type: 'button', class: 'small', testid: 'undo-label',
      'aria-label': `Undo: “${latest.sentence}” as ${latest.match ? 'a match' : 'a non-match'}`, onclick: undo}, 'Undo')] : null);
  }

  /** The last label's line where it was given (lastLabelAt); called again whenever the examples list is drawn. */
  function placeLastLabel() {
    if (lastLabelAt.card === 'suggestions') {
      if (suggestions.contains(lastLabel)) return;
      const list = suggestions.querySelector('.suggestions, .empty, .loading');
      if (list) list.before(lastLabel);
      else suggestions.append(lastLabel);
      return;
    }
    const row = lastLabelAt.exampleId
      ? [...examplesList.querySelectorAll('[data-testid=example]')].find(li => li.dataset.id === lastLabelAt.exampleId) : null;
    // above the row's buttons, which keep the focus: a line after them was scrolled just out of sight at 390 px
    if (row) row.querySelector('.actions').before(lastLabel);
    else if (lastLabel.previousElementSibling !== addForm) addForm.after(lastLabel);
  }

  /**
   * Takes the latest label back: the example it added is removed, or, where it relabelled an example the tracker had,
   * the earlier label is given again; then what was labelled is shown again (the suggestion current, the sentence in
   * the box).
   */
  async function undo() {
    const entry = undoable.at(-1);
    if (!entry || undoing) return;
    undoing = true;
    const button = lastLabel.querySelector('[data-testid=undo-label]');
    if (button) button.disabled = true;
    // a label that repeated the one the example had changed nothing: there is nothing to send back
    const response = entry.before?.match === entry.match ? {ok: true}
      : entry.before ? await call('POST', `${base}/examples`, {text: entry.before.text, match: entry.before.match})
        : await call('DELETE', `${base}/examples/${encodeURIComponent(entry.stored.id)}`);
    undoing = false;
    if (!response.ok) {
      if (await trackerGone(response)) return;
      // a 404 with the tracker still there: the example was removed meanwhile (another tab, or Remove), as asked
      const removedMeanwhile = response.status === 404 && !entry.before;
      if (!removedMeanwhile) {
        if (button) button.disabled = false;
        if (response.status !== 401) toast(problemText(response));
        return;
      }
    }
    undoable.splice(undoable.indexOf(entry), 1);
    if (entry.counted) labelsGiven -= 1;
    if (!entry.before) suggestions.querySelector('[data-testid=examples-full]')?.remove(); // there is room again
    const was = entry.before?.match ? 'a match' : 'a non-match';
    drawLastLabel(!entry.before ? `Undone: “${shortened(entry.sentence)}” is not an example any more.`
      : entry.before.match === entry.match ? `Undone: “${shortened(entry.sentence)}” stays ${was}, as it was before.`
        : `Undone: “${shortened(entry.sentence)}” is ${was} again.`, {undone: true, where: entry.where});
    const listed = reloadExamples();
    loadQuality();
    entry.putBack(listed);
  }

  /**
   * The tracker holds the most examples it can: said where the user is labelling, and kept on the page (a toast
   * would be gone in 3 s, and every further suggestion answered would fail the same way), with what still works.
   */
  function showFull(refusedText) {
    const message = `“${tracker.name}” holds 1,000 examples, the most a tracker can: remove some to add new ones. `
      + 'Changing the label of an example still works.';
    if (refusedText) refusedText(message);
    if (!suggestions.querySelector('[data-testid=examples-full]')) {
      suggestions.querySelector('h2')?.after(h('p', {class: 'problem', role: 'alert', testid: 'examples-full'}, message));
    }
  }

  async function reloadExamples() {
    const asked = ++examplesAsked;
    const response = await call('GET', `${base}/examples`);
    if (response.ok && asked === examplesAsked) drawExamples(response.body.examples);
  }

  /** The examples as the service lists them (in the order they were added): drawn newest first. */
  function drawExamples(list) {
    allExamples = [...list].reverse();
    examplesTitle.textContent = `Examples (${list.length})`;
    drawExamplesPage();
  }

  /**
   * What the search and the kind buttons show, said to a screen reader when the user changes them, not after each
   * label (the count line changes then too, and would be read out at every one).
   */
  function sayWhatIsShown() {
    searchSaid.textContent = examplesCount.hidden
      ? examplesList.querySelector('[data-testid=examples-none-found]')?.firstChild?.textContent ?? '' : examplesCount.textContent;
  }

  /**
   * The page on show of the examples the search finds, of the kind on show; a page that is no more (examples removed,
   * a narrower search) is the last one. The kinds' counts are of what the search finds.
   */
  function drawExamplesPage() {
    const query = examplesSearch.value.trim();
    const found = query ? allExamples.filter(example => containsSearched(example.text, query)) : allExamples;
    const matches = found.filter(example => example.match).length;
    const counts = {all: found.length, match: matches, 'no-match': found.length - matches};
    for (const [kind, name] of kinds) {
      const button = kindButtons.get(kind);
      button.setAttribute('aria-pressed', String(kind === shownKind));
      fill(button, `${name} (${count(counts[kind])})`);
    }
    examplesShown.hidden = allExamples.length === 0;
    examplesSearchRow.hidden = allExamples.length === 0 && !query;
    const ofKind = list => (shownKind === 'all' ? list : list.filter(example => example.match === (shownKind === 'match')));
    const shown = ofKind(found);
    const total = ofKind(allExamples).length;
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    examplesPage = Math.min(examplesPage, pages);
    const first = (examplesPage - 1) * PAGE_SIZE;
    const onPage = shown.slice(first, first + PAGE_SIZE);
    const [noun, nouns] = shownKind === 'all' ? ['example', 'examples']
      : shownKind === 'match' ? ['match', 'matches'] : ['non-match', 'non-matches'];
    // "3 of 120 examples match “invoice”", but "2 of 41 matches contain “invoice”" (not "matches match")
    const filter = query ? `${shownKind === 'all' ? 'match' : 'contain'} “${query}”` : '';
    examplesCount.textContent = shown.length === 0 ? ''
      : `${countLine({total, found: shown.length, first, onPage: onPage.length, pages, filter, noun, nouns})} Newest first.`;
    examplesCount.hidden = shown.length === 0;
    examplesPages.draw(examplesPage, pages);
    if (query && shown.length === 0 && total > 0) {
      // not an empty box: what was searched, whether the other kind has it, and the way back to the whole list
      const elsewhere = found.length ? ` (${plural(found.length, 'example')} of the other kind ${found.length === 1 ? 'does' : 'do'}: see All)` : '';
      fill(examplesList, h('p', {class: 'empty', testid: 'examples-none-found'},
        `No ${noun} has “${query}” in it${elsewhere}. `,
        h('button', {type: 'button', class: 'link', testid: 'examples-search-clear', onclick: () => {
          examplesSearch.value = '';
          examplesPage = 1;
          drawExamplesPage();
          examplesSearch.focus();
        }}, shownKind === 'all' ? 'Show all examples' : `Show all ${nouns}`)));
      if (lastLabelAt.card === 'examples') placeLastLabel();
      return;
    }
    fill(examplesList,
      onPage.length ? h('ul', {class: 'examples'}, onPage.map((example, index) => h('li', {testid: 'example', class: example.match ? 'positive' : 'negative', dataset: {id: example.id}},
        h('span', {class: 'tag'}, example.match ? 'match' : 'no match'),
        h('span', {class: 'text'}, example.text),
        h('span', {class: 'date'}, formatMinute(example.createdOn)),
        h('span', {class: 'actions'},
          // a wrong label is put right in place: the service keeps one example per text, with the label given last
          h('button', {type: 'button', class: 'small', testid: 'example-relabel', dataset: {action: 'relabel'},
            // the name starts with the words on the button ("Change to no match"), which speech input users say to press it
            'aria-label': `Change to ${example.match ? 'no match' : 'match'}: “${example.text}”`, onclick: async event => {
              const relabelled = await whileBusy(event.currentTarget, async () => {
                // undoable as a suggestion's label is (U, Ctrl+Z or the button): undone, the keyboard is back at
                // this example's button, wherever the list has it by then
                const done = await label(example.text, !example.match, {where: {card: 'examples', exampleId: example.id},
                  putBack: async listed => {
                    await listed;
                    focusExampleById(example.id, 'relabel');
                  }});
                await done?.listed;
                return done;
              });
              if (relabelled) focusExample(index, 'relabel');
            }}, example.match ? 'Change to no match' : 'Change to match'),
          h('button', {type: 'button', class: 'small', testid: 'example-remove', dataset: {action: 'remove'},
            'aria-label': `Remove the example “${example.text}”`, onclick: async event => {
              const response = await whileBusy(event.currentTarget,
                () => call('DELETE', `${base}/examples/${encodeURIComponent(example.id)}`));
              if (response.ok || response.status === 404) {
                // a 404 with the tracker still there: the example was removed meanwhile (another tab), as asked
                if (!response.ok && await trackerGone(response)) return;
                if (response.ok) removals += 1;
                suggestions.querySelector('[data-testid=examples-full]')?.remove(); // there is room again
                await Promise.all([reloadExamples(), loadQuality()]);
                focusExample(index, 'remove');
              } else if (response.status !== 401) {
                toast(problemText(response));
              }
            }}, 'Remove')))))
        : h('p', {class: 'empty', testid: 'examples-none'}, allExamples.length === 0
          ? 'No examples yet. Label the suggestions, or add a sentence.'
          : shownKind === 'match' ? 'No matches among the examples yet.' : 'No non-matches among the examples yet.'));
    if (lastLabelAt.card === 'examples') placeLastLabel();
  }

  /**
   * After the list was drawn again, the keyboard goes on where it was: at the same button of the example now at
   * index (the next one, after a removal), or at the sentence box once none is left.
   */
  function focusExample(index, action) {
    const items = examples.querySelectorAll('[data-testid=example]');
    const item = items[Math.min(index, items.length - 1)];
    (item?.querySelector(`[data-action=${action}]`) ?? text.input).focus();
  }

  /** The same, for the example of that id (at the sentence box if it is gone). */
  function focusExampleById(exampleId, action) {
    const item = [...examples.querySelectorAll('[data-testid=example]')].find(li => li.dataset.id === exampleId);
    (item?.querySelector(`[data-action=${action}]`) ?? text.input).focus();
  }

  async function loadQuality() {
    const asked = ++qualityAsked;
    const changes = {labels: labelsGiven, removals};
    markQualityUpdating();
    const response = await call('GET', `${base}/quality`);
    // the first estimate is of the examples as the page opened, even when a later one was drawn before it came
    if (asked === 1) {
      estimateAtOpen = response.ok ? response.body : null;
      if (shownEstimate) drawMoved();
    }
    if (asked !== qualityAsked) return;
    quality.removeAttribute('aria-busy');
    if (!response.ok) {
      if (await trackerGone(response)) return;
      if (response.status !== 401) fill(quality, h('h2', {id: 'quality-title'}, 'Quality'), h('p', {}, problemText(response)));
      return;
    }
    const q = response.body;
    // each share with its 95 % range under it: from a few examples 0.25 can as well be 0.05 or 0.70
    const figure = (label, value, range) => h('div', {class: 'figure'},
      h('span', {class: 'value'}, value === null || value === undefined ? '–' : score(value)),
      h('span', {class: 'label'}, label),
      range ? h('span', {class: 'range', testid: 'quality-range', title: '95\u00a0% likely within this range'},
        `${score(range.low)}–${score(range.high)}`) : null);
    fill(quality, h('h2', {id: 'quality-title'}, 'Estimated quality'),
      h('div', {class: 'figures', testid: 'quality-figures'},
        figure('precision', q.precision, q.ranges?.precision), figure('recall', q.recall, q.ranges?.recall),
        figure('F1', q.f1),
        h('div', {class: 'figure'}, h('span', {class: 'value'}, `${q.positives} / ${q.negatives}`), h('span', {class: 'label'}, 'matches / non-matches'))),
      qualityNote, h('p', {class: 'hint', testid: 'quality-hint'}, qualityHint(q)));
    shownEstimate = {q, changes};
    drawMoved();
  }

  /**
   * The line under the figures that says how the estimate moved since the page opened; before the first label, that
   * nothing is labelled yet (the line's room is kept either way).
   */
  function drawMoved() {
    const said = shownEstimate && estimateMoved(shownEstimate.q, shownEstimate.changes);
    moved.hidden = !said;
    fill(moved, said || null);
    const unchanged = shownEstimate && shownEstimate.changes.labels + shownEstimate.changes.removals <= 0;
    fill(qualityNote, moved, !said && unchanged
      ? h('p', {class: 'hint', testid: 'quality-delta-none'}, 'Since you opened this page: nothing labelled yet.') : null);
    keepQualityHeight();
  }

  /**
   * "Since you opened this page: F1 0.62 → 0.71 after 12 labels (precision …)": the figures on show against those of
   * the examples when the page opened, with the changes the figures on show were asked after. Where either side has
   * no figure (too few examples, or a tracker that fires on none) it says so rather than making up a change; with no
   * figure on either side, or nothing changed, there is nothing to say.
   */
  function estimateMoved(now, changes) {
    const absent = value => value === null || value === undefined;
    if (!estimateAtOpen || changes.labels + changes.removals <= 0) return null;
    const was = estimateAtOpen;
    if (absent(was.f1) && absent(now.f1)) return null;
    const after = 'after ' + [changes.labels ? plural(changes.labels, 'label') : null,
      changes.removals ? plural(changes.removals, 'removal') : null].filter(Boolean).join(' and ');
    if (absent(was.f1)) {
      return `Since you opened this page: F1 ${score(now.f1)} ${after}. There was no estimate when it opened `
        + '(too few examples, or none it fired on), so there is nothing to compare it with.';
    }
    if (absent(now.f1)) {
      return `Since you opened this page: F1 was ${score(was.f1)} when it opened; ${after} there is no estimate `
        + '(see below why), so no change can be given.';
    }
    const also = [['precision', was.precision, now.precision], ['recall', was.recall, now.recall]]
      .filter(([, before, after]) => !absent(before) && !absent(after))
      .map(([name, before, after]) => `${name} ${score(before)} → ${score(after)}`);
    return `Since you opened this page: F1 ${score(was.f1)} → ${score(now.f1)} ${after}`
      + (also.length ? ` (${also.join(', ')})` : '') + '.';
  }

  /**
   * A new estimate takes seconds with many examples (each decided without itself): meanwhile the figures on show are
   * said to be those of the earlier labels, instead of passing for the current ones.
   */
  function markQualityUpdating() {
    if (!quality.querySelector('[data-testid=quality-figures]') || quality.querySelector('[data-testid=quality-updating]')) return;
    quality.setAttribute('aria-busy', 'true');
    // in the line under the figures, in place of how they moved (that line is of the figures on show): nothing moves
    fill(qualityNote, h('p', {class: 'loading', testid: 'quality-updating', role: 'status'},
      'Updating for your latest labels… the figures above are from before them.'));
    keepQualityHeight();
  }

  /** What the figures rest on and how sure they are, or what they still wait for (the server's minimum of each kind). */
  function qualityHint(q) {
    const minimum = q.minimum || {positives: 0, negatives: 0};
    const missing = [[minimum.positives - q.positives, 'match', 'matches'],
      [minimum.negatives - q.negatives, 'non-match', 'non-matches']].filter(([count]) => count > 0);
    if (missing.length) {
      const needed = missing.map(([count, one, many]) => `${count} more ${count === 1 ? one : many}`).join(' and ');
      return `Too few examples for an estimate yet: label ${needed}.`;
    }
    if (q.f1 === null || q.f1 === undefined) {
      return `The tracker fires on none of its ${q.examples} examples, so precision and F1 cannot be estimated yet.`;
    }
    // not "(5-fold cross-validation)": what it means for the trainer, that no example was judged by its own label
    const base = `Estimated from your ${q.examples} examples: each was decided by the tracker and your other `
      + 'examples, as a new sentence would be.';
    const c = q.counts;
    const r = q.ranges;
    if (!c || !r?.recall) return base; // a server without counts and ranges
    const fired = c.truePositives + c.falsePositives;
    // precision is the share of its firings that were right: with none, there is nothing to share out, and "fired on 0
    // of them, 0 rightly (precision)" under a "–" left the user guessing why
    const made = fired === 0
      ? ` It fired on none of them, so precision (how many of its hits are right) has nothing to go on yet, and it found `
        + `none of the ${q.positives} matches (recall). Label more sentences it should fire on, or add phrases.`
      : ` It fired on ${fired} of them, ${c.truePositives} rightly (precision), and on ${c.truePositives} of the `
        + `${q.positives} matches (recall). F1 weighs the two together in one figure.`;
    const widest = Math.max(r.recall.high - r.recall.low, r.precision ? r.precision.high - r.precision.low : 0);
    // how sure: the ranges under the figures, said in words; wide ones are the usual case for a new tracker
    const sure = widest > 0.3
      ? ' With so few examples the figures are rough: each is 95\u00a0% likely to lie in the range under it. Every label narrows it.'
      : ' Each figure is 95\u00a0% likely to lie in the range under it.';
    return base + made + sure;
  }

  /** Why these sentences are shown; which sides they come from is read off the list (a new tracker may fire on none). */
  function suggestionsWhy(list) {
    const firing = list.filter(s => s.fired).length;
    const sides = firing === list.length ? 'it fires on each of them now'
      : firing === 0 ? 'it fires on none of them now' : 'it fires on some of them now and not on the others';
    return `Sentences from your conversations that the tracker is least sure about: ${sides}. `
      + 'An answer here teaches it the most.';
  }

  /**
   * What the closeness under each suggestion is, said once above them: beside a conversation's "score 0.82" for the
   * same sentence, "closeness 0.70" read as a contradiction (until 2026-11-29). Both are the service's: a suggestion's
   * `score` is the sentence's best cosine to the phrases and positive examples; a hit's, the matched words' to one phrase.
   */
  function closenessHint() {
    return h('p', {class: 'hint', testid: 'closeness-hint'}, 'Closeness: how close the sentence, read alone, is to the '
      + 'nearest of the tracker’s phrases and labelled matches, from 0 to 1. A conversation’s “score” is for the words '
      + 'that matched one phrase, so it can differ.');
  }

  /** The section was drawn again under the focus: the keyboard goes on at its first suggestion, or at Look again. */
  function focusFirstSuggestion() {
    const first = items?.isConnected ? items.querySelector('[data-testid=suggestion]') : null;
    if (first) makeCurrent(first);
    else suggestions.querySelector('[data-testid=suggestions-more]')?.focus();
  }

  /**
   * The suggestion the keys act on: marked, and (focus true) given the focus, so that a screen reader reads the
   * sentence that Y or N will answer.
   */
  function makeCurrent(item, {focus = true} = {}) {
    if (current && current !== item) {
      current.classList.remove('current');
      current.removeAttribute('aria-current');
    }
    current = item;
    if (!item) return;
    item.classList.add('current');
    item.setAttribute('aria-current', 'true');
    if (focus) item.focus();
  }

  /** The suggestions card with a list of sentences (items), or with what stands instead of them. */
  function drawSuggestions(...content) {
    // the last label's line stays where it was given (under the sentence box, say) when the suggestions are drawn
    fill(suggestions, h('h2', {id: 'suggestions-title'}, 'Does this sentence match?'),
      ...content.filter(part => part !== lastLabel || lastLabelAt.card === 'suggestions'));
  }

  /** A batch of suggestions; when all of it is labelled, the next one, until the service has none left. */
  async function loadSuggestions() {
    drawSuggestions(lastLabel, h('p', {class: 'loading', testid: 'suggestions-loading'}, 'Looking for sentences to label…'));
    const response = await call('GET', `${base}/suggestions?limit=${Math.min(MAX_SUGGESTIONS, BATCH + passedOver.size)}`);
    if (!response.ok) {
      if (await trackerGone(response)) return;
      if (response.status !== 401) fill(suggestions, h('h2', {id: 'suggestions-title'}, 'Suggestions'), h('p', {}, problemText(response)));
      return;
    }
    const offered = response.body.suggestions;
    const list = offered.filter(s => !passedOver.has(s.text)).slice(0, BATCH);
    if (list.length === 0 && offered.length > 0) {
      items = null;
      makeCurrent(null);
      drawSuggestions(lastLabel,
        h('p', {class: 'empty', testid: 'suggestions-none'}, `No other suggestions: the service would pick only `
          + `sentences you passed over (${passedOver.size}). Label them, or add a sentence yourself.`),
        h('button', {type: 'button', testid: 'suggestions-more', onclick: async () => {
          passedOver.clear();
          await loadSuggestions();
          focusFirstSuggestion();
        }}, 'Show them again'));
      return;
    }
    if (list.length === 0) {
      // "no more" is right once sentences were labelled; an account without conversations has none to begin with
      const stored = await call('GET', '/v1/conversations?limit=1');
      const none = stored.ok && (stored.body?.conversations ?? stored.body ?? []).length === 0;
      items = null;
      makeCurrent(null);
      drawSuggestions(lastLabel,
        none ? h('p', {class: 'empty', testid: 'suggestions-none'}, 'No suggestions yet: they are sentences of your '
          + 'conversations, and there are none. ', h('a', {href: '#/conversations'}, 'Upload a conversation'),
          ', or add a sentence yourself.')
          : h('p', {class: 'empty', testid: 'suggestions-none'}, 'No more suggestions: every sentence the service would pick is '
          + 'labelled, or close to an example. Upload more conversations for new ones, or add a sentence yourself.'),
        h('button', {type: 'button', testid: 'suggestions-more', onclick: async () => {
          await loadSuggestions();
          focusFirstSuggestion();
        }}, 'Look again'));
      return;
    }
    showList(list.map(suggestionItem), h('p', {class: 'hint', testid: 'suggestions-why'}, suggestionsWhy(list)));
    // marked, not focused: on opening the page the focus stays on its heading, where reading starts
    makeCurrent(items.firstElementChild, {focus: false});
  }

  /** Draws a list of suggestion items, with the keys, the last label and (why) the reason they are shown. */
  function showList(elements, why) {
    items = h('ul', {class: 'suggestions', onfocusin: event => {
      // Tab or a click into a suggestion makes it the one the keys answer
      const item = event.target.closest('[data-testid=suggestion]');
      if (item && item !== current) makeCurrent(item, {focus: false});
    }}, elements);
    for (const element of elements) parts.get(element).list = items;
    // sentences the user cannot answer need not be labelled to get others
    const other = h('button', {type: 'button', testid: 'suggestions-other', onclick: async () => {
      for (const element of items.children) passedOver.add(parts.get(element).text);
      await loadSuggestions();
      focusFirstSuggestion();
    }}, 'Other sentences');
    drawSuggestions(keysHint, why, closenessHint(), lastLabel, items,
      h('p', {class: 'hint other-sentences'}, other, ' Passes over the sentences above, without labelling them.'));
  }

  function suggestionItem(s) {
    const choose = async match => {
      // one answer per sentence: a double click, a held key or a quick change of mind sends nothing more
      if (buttons.some(button => button.disabled)) return;
      for (const button of buttons) button.disabled = true;
      const list = items;
      let place = null; // the sentence after it, where Undo puts it back
      const done = await label(s.text, match, {putBack: () => putBack(item, place, list)});
      if (!done) {
        for (const button of buttons) button.disabled = false;
        return;
      }
      place = item.nextElementSibling;
      const next = item.nextElementSibling ?? item.previousElementSibling;
      // the keys may have moved on while the answer was on its way: then the user's choice of sentence stands
      const wasCurrent = current === item || !current?.isConnected;
      item.remove();
      if (items !== list) return; // a new batch was drawn meanwhile
      if (items.children.length === 0) {
        await loadSuggestions();
        focusFirstSuggestion();
      } else if (wasCurrent) {
        makeCurrent(next);
      }
    };
    // each button names its sentence: a screen reader's list of buttons otherwise reads "Match" ten times
    const buttons = [
      h('button', {type: 'button', testid: 'suggestion-match', 'aria-label': `Match: “${s.text}”`,
        onclick: () => choose(true)}, 'Match'),
      h('button', {type: 'button', testid: 'suggestion-no-match', 'aria-label': `No match: “${s.text}”`,
        onclick: () => choose(false)}, 'No match')];
    const item = h('li', {testid: 'suggestion', tabindex: '-1'},
      h('p', {class: 'text'}, s.text),
      h('p', {class: 'hint', testid: 'suggestion-state'}, `${s.fired ? 'Fires now' : 'Does not fire now'} · closeness `
        + `${score(s.score)} · `, h('a', {href: `#/conversations/${encodeURIComponent(s.conversationId)}?${new URLSearchParams({sentence: s.messageId,
          ...backHere(`#/trackers/${encodeURIComponent(id)}/teach`, `Teach “${tracker.name}”`)})}`,
        'aria-label': `its conversation: “${s.text}”`}, 'its conversation')),
      h('div', {class: 'actions'}, buttons));
    parts.set(item, {choose, buttons, text: s.text, list: null});
    return item;

    /** Undone: the sentence is back where it was (at the top of a batch drawn since), answerable, and current. */
    function putBack(element, before, list) {
      for (const button of buttons) button.disabled = false;
      // a batch drawn since may hold the same sentence again (it is no example any more): that one is current then
      const again = items?.isConnected
        ? [...items.children].find(other => other !== element && parts.get(other)?.text === s.text) : null;
      if (again) {
        makeCurrent(again);
        return;
      }
      if (!items?.isConnected) {
        showList([element], null);
      } else if (items === list && before?.parentElement === items) {
        items.insertBefore(element, before);
      } else if (items === list && !before) {
        items.append(element);
      } else {
        items.prepend(element);
        parts.get(element).list = items;
      }
      makeCurrent(element);
    }
  }

  /**
   * The labelling keys, anywhere on the page outside a text box: there a key is text, and Ctrl+Z its own undo.
   * The listener goes when the page does (at the first key after it was left).
   */
  function onKey(event) {
    if (!suggestions.isConnected) {
      document.removeEventListener('keydown', onKey);
      return;
    }
    if (event.defaultPrevented || event.isComposing || event.altKey) return;
    if (event.target.closest?.('input, textarea, select, [contenteditable]:not([contenteditable=false])')) return;
    if (document.querySelector('dialog[open]')) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (event.ctrlKey || event.metaKey) {
      // Ctrl+N, Cmd+S and the like are the browser's; only Ctrl/Cmd+Z (undo) is the page's
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        if (!event.repeat) undo();
      }
      return;
    }
    const action = KEYS[key];
    if (!action || (event.shiftKey && key.startsWith('Arrow'))) return;
    event.preventDefault();
    if (action === 'undo') {
      if (!event.repeat) undo();
      return;
    }
    if (!current?.isConnected) {
      // none marked (all of a batch skipped past, say): the keys start at the first sentence
      makeCurrent(items?.isConnected ? items.firstElementChild : null);
      if (!current || action === 'next' || action === 'back') return;
    }
    if (action === 'next') makeCurrent(current.nextElementSibling ?? current);
    else if (action === 'back') makeCurrent(current.previousElementSibling ?? current);
    // a held key labels one sentence, not every sentence after it
    else if (!event.repeat) parts.get(current).choose(action === 'match');
  }
}
