// What the long lists (trackers, conversations, a call's transcript, examples) share, so that they page, count, search
// and delete alike: pages with their numbers, the count line, the search's rule, the header that ticks rows to delete
// several, the question and progress of that delete, and the busiest rows first in a table of trackers ranked by hits
// (docs/ui.md, "Trackers", "Conversations" and "A long conversation").
import {problemText} from './api.js';
import {h, fill, plural, toast, announce, showNotice} from './dom.js';

// how many rows a page of a list draws: 500 trackers (the most an account holds) drawn at once made a page of
// 37,000 px; 50 is ten pages at most for them, each page's numbers fitting one row of buttons (docs/ui.md, "Trackers")
export const PAGE_SIZE = 50;

// how many names the question before a delete of several lists (one a line); the title says how many there are in all
const NAMED_IN_QUESTION = 5;

/** 2000 → "2,000": counts of conversations run into thousands. */
export function count(number) {
  return number.toLocaleString('en-US');
}

/**
 * Whether `text` holds what was searched (`query`), as every search in the browser compares: each word of it, in any
 * order, in any case and with or without accents, so "facture" finds "Facturé", "É" finds "e" (the lists are typed
 * into by people who leave the accents out, or write them where the text has none) and "refund apac" finds "Refund
 * request APAC enterprise renewals 16": the 450 trackers of an account are named by topic, region and segment, and
 * a search for two of those words in a row found none of them.
 */
export function containsSearched(text, query) {
  const searched = searchForm(text);
  return searchForm(query).split(/\s+/u).every(word => searched.includes(word));
}

/** A text as a search compares it: in lower case, its letters without their accents. */
function searchForm(text) {
  // lower case first: lowering some capitals (İ) gives a letter and a combining mark, which goes with the others
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

/**
 * The page numbers a pager shows: every one up to ten pages (500 trackers, the most an account holds by default), else
 * the first, the last and two either side of the current one, null where numbers are left out (1 … 5 6 7 8 9 … 30).
 */
export function pageNumbers(current, pages) {
  if (pages <= 10) return Array.from({length: pages}, (_, i) => i + 1);
  const shown = [...new Set([1, ...Array.from({length: 5}, (_, i) => current - 2 + i), pages])]
    .filter(number => number >= 1 && number <= pages).sort((a, b) => a - b);
  return shown.flatMap((number, i) => i > 0 && number - shown[i - 1] > 1
    ? [number - shown[i - 1] === 2 ? number - 1 : null, number] : [number]);
}

/**
 * Rows of a table of trackers ranked by hits (analytics, a conversation's hits per tracker) shown before "Show all":
 * an account of 500 trackers, most of them with hits, made a table of 500 rows (at 390 px, 500 cards) between what
 * comes before it and everything after it.
 */
export const RANKED_ROWS = 25;

/**
 * Hides the rows of `tbody` after the first RANKED_ROWS and gives the paragraph with the button that shows them (null
 * when every row fits); the button goes once pressed, so the focus moves to the first row it showed.
 */
export function showTheOtherRows(tbody, text, testid) {
  const rows = [...tbody.rows];
  if (rows.length <= RANKED_ROWS) return null;
  rows.slice(RANKED_ROWS).forEach(row => { row.hidden = true; });
  const paragraph = h('p', {}, h('button', {type: 'button', testid, onclick: () => {
    rows.forEach(row => { row.hidden = false; });
    paragraph.remove();
    rows[RANKED_ROWS].tabIndex = -1;
    rows[RANKED_ROWS].focus();
  }}, text));
  return paragraph;
}

/**
 * The line above a list that says what is shown: "51–100 of 500 trackers.", "12 of 500 trackers match “refund”.",
 * "1–50 of the 73 trackers that match “us” (of 500)."; '' for an empty account. `filter` is what the rows found
 * have in common ("match “refund”"), '' when nothing filters them.
 */
export function countLine({total, found, first, onPage, pages, filter, noun, nouns = `${noun}s`}) {
  if (total === 0) return '';
  const range = `${count(first + 1)}–${count(first + onPage)}`;
  if (filter && pages > 1) return `${range} of the ${count(found)} ${nouns} that ${filter} (of ${count(total)}).`;
  if (filter) return `${count(found)} of ${total === 1 ? `1 ${noun}` : `${count(total)} ${nouns}`} ${filter}.`;
  return pages > 1 ? `${range} of ${count(total)} ${nouns}.` : `${total === 1 ? `1 ${noun}` : `${count(total)} ${nouns}`}.`;
}

/**
 * Previous, the page numbers and Next, as buttons named for a screen reader ("Page 3", the current one marked) in a
 * nav named `label`; nothing when everything fits on one page. Numbered pages rather than "Show 50 more": a row stays
 * on its page, the way back to a list lands on a page of 50 rows rather than a list grown to hundreds, and the last
 * rows (the oldest) are one click away.
 */
export function pager(label, testid, goToPage) {
  const element = h('nav', {class: 'pages', 'aria-label': label, testid});
  function draw(current, pages) {
    element.hidden = pages <= 1;
    if (pages <= 1) {
      fill(element);
      return;
    }
    const button = (number, text, name) => h('button', {type: 'button', class: 'small', 'aria-label': name,
      'aria-current': number === current && !text ? 'page' : null, disabled: text && (number < 1 || number > pages),
      onclick: () => goToPage(number)}, text ?? String(number));
    fill(element, h('ul', {},
      h('li', {}, button(current - 1, '‹ Previous', 'Previous page')),
      pageNumbers(current, pages).map(number => h('li', {}, number === null
        ? h('span', {class: 'gap', 'aria-hidden': 'true'}, '…') : button(number, undefined, `Page ${number}`))),
      h('li', {}, button(current + 1, 'Next ›', 'Next page'))));
  }
  return {element, draw};
}

/**
 * The header over a list whose rows can be ticked: "Select all on this page" (ticked, or half when some of the page
 * are), and, while anything is ticked, how many and where the ones not on screen are, with Delete selected…, the
 * `actions` given and Clear selection. `selected` is the Set of ticked ids; `boxes()` the rows' boxes on screen (each
 * with `data-id`); `notShown()` says where the ticked ones not on screen are ("2 on other pages"); `changed()` keeps
 * the selection. It sticks to the top of the window (app.css .list-select), so the count and the buttons stay in view.
 */
export function selectionHeader({idPrefix, selected, boxes, notShown, changed, onDelete, actions = []}) {
  const selectAll = h('input', {type: 'checkbox', id: `${idPrefix}-select-all`, testid: `${idPrefix}-select-all`, onchange: () => {
    for (const box of boxes()) {
      if (selectAll.checked) selected.add(box.dataset.id);
      else selected.delete(box.dataset.id);
    }
    changed();
    sync(true);
  }});
  const selectionCount = h('span', {class: 'selection-count', testid: 'selection-count'});
  // said to a screen reader at each tick, from an element always there (a live region that appears is not read)
  const selectionSaid = h('span', {class: 'visually-hidden', role: 'status', testid: 'selection-said'});
  const deleteSelected = h('button', {type: 'button', class: 'danger small', testid: 'delete-selected', onclick: () => onDelete()},
    'Delete selected…');
  const clearSelection = h('button', {type: 'button', class: 'small', testid: 'clear-selection', onclick: () => {
    selected.clear();
    changed();
    sync(true);
    selectAll.focus(); // the button goes with the bar; the keyboard goes on from the header
  }}, 'Clear selection');
  const bar = h('div', {class: 'selection-bar', testid: 'selection-bar', hidden: true},
    selectionCount, h('div', {class: 'actions'}, deleteSelected, actions, clearSelection));
  const element = h('div', {class: 'list-select', testid: `${idPrefix}-list-select`},
    h('label', {class: 'check', for: selectAll.id}, selectAll, 'Select all on this page'), bar, selectionSaid);

  /** The boxes, the header's box and the bar, from the selection; say: the user changed it, and a screen reader hears it. */
  function sync(say = false) {
    const onScreen = boxes();
    for (const box of onScreen) {
      box.checked = selected.has(box.dataset.id);
      box.closest('li, tr').classList.toggle('selected', box.checked);
    }
    const ticked = onScreen.filter(box => box.checked).length;
    selectAll.checked = onScreen.length > 0 && ticked === onScreen.length;
    selectAll.indeterminate = ticked > 0 && ticked < onScreen.length;
    selectAll.disabled = onScreen.length === 0;
    const where = notShown();
    const text = selected.size ? `${count(selected.size)} selected${where ? `, ${where}` : ''}` : '';
    bar.hidden = selected.size === 0;
    selectionCount.textContent = text;
    if (say) selectionSaid.textContent = text || 'Nothing selected';
    // a selection changed by the page (cleared by a delete, a ticked row gone) leaves no stale "3 selected" behind
    // to be read (or copied with the page's text); emptying a live region announces nothing
    else if (selectionSaid.textContent && selectionSaid.textContent !== text) selectionSaid.textContent = '';
  }

  /** A row's box, named for a screen reader ("Select Pricing") by aria-label, not by hidden text a user would copy. */
  function box(id, name) {
    const input = h('input', {type: 'checkbox', class: 'select-box', id: `select-${id}`, testid: `${idPrefix}-select`,
      'aria-label': `Select ${name}`, dataset: {id}, checked: selected.has(id), onchange: () => {
        if (input.checked) selected.add(id);
        else selected.delete(id);
        changed();
        sync(true);
      }});
    return input;
  }

  return {element, selectAll, sync, box};
}

/**
 * Where the ticked rows that are not on screen are: "2 on other pages", "1 not matching “refund”", or both; '' when
 * every one is on screen. A selection kept across pages and searches must never hide what it holds.
 */
export function whereNotShown(selected, onScreenIds, matchingIds, filterName) {
  let otherPages = 0;
  let notMatching = 0;
  for (const id of selected) {
    if (onScreenIds.has(id)) continue;
    if (matchingIds.has(id)) otherPages += 1;
    else notMatching += 1;
  }
  return [otherPages ? `${count(otherPages)} on ${otherPages === 1 ? 'another page' : 'other pages'}` : null,
    notMatching ? `${count(notMatching)} not matching ${filterName}` : null].filter(Boolean).join(', ');
}

/**
 * The dialog of a delete of several: the question (the count in its title, the first names, how many are not on
 * screen, starting on Cancel so one Enter never deletes), then "Deleting 12 of 30…" while each is deleted in turn by
 * `deleteOne(item)` (the API's own DELETE, no call of its own). Stop ends it after the delete under way. A 404 is
 * gone, as asked. `starting()` is told when the deletes begin, `deleted(item)` of each one gone; `finished(outcome)`
 * gets what was done.
 */
export function bulkDeleteDialog({noun, nouns = `${noun}s`, cost, nameOf, starting = () => {}, deleteOne, reasonFor = problemText,
  deleted, finished}) {
  let chosen = [];
  let deleting = false;
  let stopAsked = false;
  const title = h('h2', {id: 'bulk-delete-title'});
  const names = h('ul', {id: 'bulk-delete-names', class: 'names', testid: 'bulk-delete-names'});
  const notShownLine = h('p', {testid: 'bulk-delete-not-shown'});
  const costLine = h('p', {id: 'bulk-delete-text'}, cost);
  const progress = h('progress', {max: 1, value: 0, 'aria-hidden': 'true'});
  const progressText = h('p', {role: 'status', testid: 'bulk-delete-progress'});
  const progressBox = h('div', {class: 'progress', hidden: true}, progress, progressText);
  const confirm = h('button', {type: 'button', class: 'danger', testid: 'confirm-bulk-delete', onclick: () => deleteChosen()});
  const cancel = h('button', {type: 'button', testid: 'cancel-bulk-delete', onclick: () => {
    if (!deleting) {
      element.close();
      return;
    }
    stopAsked = true;
    cancel.disabled = true;
    cancel.textContent = 'Stopping…';
  }}, 'Cancel');
  const element = h('dialog', {class: 'confirm', 'aria-labelledby': 'bulk-delete-title',
    'aria-describedby': 'bulk-delete-names bulk-delete-text', testid: 'bulk-delete-dialog',
    // Escape while deleting would hide the progress, not stop the deletes: Stop does that
    oncancel: event => { if (deleting) event.preventDefault(); }},
    title, names, notShownLine, costLine, progressBox, h('div', {class: 'actions'}, confirm, cancel));

  function ask(items, notShown) {
    chosen = items;
    const one = chosen.length === 1;
    fill(title, one ? `Delete “${nameOf(chosen[0])}”?` : `Delete ${count(chosen.length)} ${nouns}?`);
    const more = chosen.length - NAMED_IN_QUESTION;
    fill(names, one ? null : chosen.slice(0, NAMED_IN_QUESTION).map(item => h('li', {}, nameOf(item))),
      !one && more > 0 ? h('li', {class: 'more'}, `and ${count(more)} more`) : null);
    names.hidden = one;
    fill(notShownLine, notShown ? `Not on screen now: ${notShown}.` : '');
    notShownLine.hidden = !notShown;
    confirm.textContent = one ? 'Delete' : `Delete ${count(chosen.length)} ${nouns}`;
    confirm.disabled = false;
    cancel.disabled = false;
    cancel.textContent = 'Cancel';
    progressBox.hidden = true;
    element.showModal();
    // one Enter must not delete: the safe choice has the focus
    cancel.focus();
  }

  async function deleteChosen() {
    deleting = true;
    stopAsked = false;
    confirm.disabled = true;
    cancel.textContent = 'Stop';
    progressBox.hidden = false;
    progress.max = chosen.length;
    starting();
    const outcome = {deleted: new Set(), goneAlready: 0, failed: [], notTried: 0};
    for (const [index, item] of chosen.entries()) {
      if (stopAsked) {
        outcome.notTried = chosen.length - index;
        break;
      }
      progress.value = index;
      progressText.textContent = `Deleting ${count(index + 1)} of ${count(chosen.length)}…`;
      const response = await deleteOne(item);
      if (response.status === 401) return; // signed out: what was not deleted stays selected for after the sign-in
      if (response.ok || response.status === 404) {
        // a 404: deleted elsewhere meanwhile (another tab, a colleague, the retention), which is what the user asked for
        if (!response.ok) outcome.goneAlready += 1;
        outcome.deleted.add(item.id);
        deleted(item);
      } else {
        outcome.failed.push({item, reason: reasonFor(response)});
      }
    }
    deleting = false;
    element.close();
    await finished(outcome);
  }

  return {element, ask};
}

/**
 * What a delete of several did, once the list shows what the service holds: a notice when everything went (the focus
 * then to `focusAfter`), else the box `result` with the focus, saying how many went and naming each one that did not,
 * with the service's reason (they stay ticked).
 */
export function reportBulkDelete(result, {deleted, goneAlready, failed, notTried}, {noun, nouns = `${noun}s`, nameOf,
  inWords = text => text, focusAfter}) {
  const many = number => (number === 1 ? `1 ${noun}` : `${count(number)} ${nouns}`);
  const tried = deleted.size + failed.length;
  if (!failed.length && !notTried) {
    // in the page above the list, not a toast over its rows
    const message = `Deleted ${many(deleted.size)}${goneAlready ? ` (${goneAlready} of them elsewhere already)` : ''}.`;
    showNotice(result, message);
    announce(message);
    if (focusAfter) focusInList(focusAfter);
    return;
  }
  const done = `Deleted ${count(deleted.size)} of ${many(tried + notTried)}`
    + (goneAlready ? ` (${goneAlready} of them had been deleted elsewhere already)` : '');
  fill(result, h('div', {class: failed.length ? 'problem-box' : 'notice', role: failed.length ? 'alert' : 'status'},
    h('p', {}, `${done}. `, notTried === 1 ? 'Stopped before the last one, which is still selected.'
      : notTried ? `Stopped before the other ${count(notTried)}, which are still selected.` : ''),
    failed.length ? [
      h('p', {}, `${failed.length === 1 ? 'This one was' : `These ${count(failed.length)} were`} not deleted and `
        + `${failed.length === 1 ? 'is' : 'are'} still selected:`),
      h('ul', {}, failed.map(({item, reason}) => h('li', {testid: 'bulk-failure'}, `“${nameOf(item)}”: ${inWords(reason)}`)))]
      : null));
  result.hidden = false;
  result.focus();
}

/**
 * Focuses `element` (a row's name, or a box outside the list) with its row whole in the window and below the list's
 * sticky header: the rows' scroll-margin-top (app.css) is the header's room. A plain focus() leaves a row that is
 * partly in the window where it is, which is under the header when the page was scrolled a little (WCAG 2.4.11).
 */
export function focusInList(element) {
  element.focus({preventScroll: true});
  (element.closest('li, tr') ?? element).scrollIntoView({block: 'nearest'});
}

/** What a delete of several did, said after the user left the list: a notice, as nothing else is on screen. */
export function toastBulkDelete({deleted, failed}, noun, nouns = `${noun}s`) {
  toast(`Deleted ${deleted.size === 1 ? `1 ${noun}` : `${count(deleted.size)} ${nouns}`}${failed.length ? `; ${failed.length} not deleted` : ''}.`);
}
