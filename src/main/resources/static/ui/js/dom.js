// Small DOM helpers. Text always goes in as text nodes (never as HTML), so nothing a user or the server wrote can
// become markup.

/** h('button', {type: 'button', onclick: fn, testid: 'x'}, 'Save') */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'testid') {
      element.dataset.testid = value;
    } else if (key === 'class') {
      element.className = value;
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (key in element && typeof value !== 'string') {
      element[key] = value;
    } else {
      element.setAttribute(key, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of an element. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let idCounter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: returns {row, input, error} with the error element wired by aria-describedby. */
export function field(label, input, hint) {
  const id = input.id || uid('field');
  input.id = id;
  const error = h('p', {class: 'field-error', id: `${id}-error`, hidden: true});
  const hintElement = hint ? h('p', {class: 'hint', id: `${id}-hint`}, hint) : null;
  input.setAttribute('aria-describedby', [hintElement?.id, error.id].filter(Boolean).join(' '));
  const row = h('div', {class: 'field'}, h('label', {for: id}, label), hintElement, input, error);
  return {row, input, error};
}

/** Shows (or, with no messages, hides) the messages of a field's error element. */
export function showError(fieldParts, messages) {
  const list = (messages ?? []).filter(Boolean);
  fieldParts.error.hidden = list.length === 0;
  fill(fieldParts.error, list.length === 1 ? list[0] : h('ul', {}, list.map(m => h('li', {}, m))));
  if (list.length) fieldParts.input.setAttribute('aria-invalid', 'true');
  else fieldParts.input.removeAttribute('aria-invalid');
}

/**
 * The text with the given character ranges wrapped in <mark>. spans: [{start, end, label}] with offsets in UTF-16
 * code units, as the API reports them; overlapping spans become one mark whose title names them all.
 */
export function highlighted(text, spans) {
  const merged = [];
  for (const span of [...spans].filter(s => s.start >= 0 && s.end > s.start).sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
      last.labels.push(span.label);
    } else {
      merged.push({start: span.start, end: Math.min(span.end, text.length), labels: [span.label]});
    }
  }
  const parts = [];
  let at = 0;
  for (const span of merged) {
    if (span.end <= span.start) continue;
    if (span.start > at) parts.push(text.slice(at, span.start));
    parts.push(h('mark', {title: span.labels.filter(Boolean).join('\n')}, text.slice(span.start, span.end)));
    at = span.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/**
 * A short notice at the bottom of the window. link: {href, text} adds a link (and keeps the notice up longer, so
 * there is time to follow it).
 */
export function toast(message, {link} = {}) {
  const element = document.getElementById('toast');
  fill(element, message, link ? [' ', h('a', {href: link.href, testid: 'toast-link',
    onclick: () => element.classList.remove('visible')}, link.text)] : null);
  element.classList.add('visible');
  element.classList.toggle('with-link', Boolean(link));
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => element.classList.remove('visible'), link ? 12000 : 3000);
}

/**
 * Says a message to a screen reader from the notice's live region, without showing the notice: for a message the page
 * shows in its own flow (noticeForNextPage, showNotice).
 */
export function announce(message) {
  const element = document.getElementById('toast');
  clearTimeout(toast.timer);
  element.classList.remove('visible', 'with-link');
  fill(element, message);
}

// what the next page is to say of what just happened ("Created “Pricing”."), until a page shows it
let pendingNotice = null;

/**
 * What a save or a delete says on the list the user is taken back to: in the list page's own flow, above the list
 * (showNotice), where it covers nothing; as a toast at the bottom of the window it sat over the list's rows and hid
 * their dates. Heard at once.
 */
export function noticeForNextPage(message) {
  pendingNotice = message;
  announce(message);
}

/** The notice for this page (noticeForNextPage), once: null when there is none. */
export function takeNotice() {
  const message = pendingNotice;
  pendingNotice = null;
  return message;
}

/** Shows a notice in `holder`, an element of the page's flow above its list (heard already, so not a live region). */
export function showNotice(holder, message) {
  fill(holder, h('div', {class: 'notice', testid: 'page-notice'}, h('p', {}, message)));
  holder.hidden = false;
}

/**
 * Runs work() with the button disabled, so that a second press sends nothing, and gives the focus back to the button
 * afterwards if it had it: a button that is disabled drops the focus to the document, and the keyboard would go on
 * from the top of the page instead of from where the user was.
 */
export async function whileBusy(button, work) {
  const hadFocus = document.activeElement === button;
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (hadFocus && lost && button.isConnected) button.focus();
  }
}

/**
 * Scrolls the window, when `element` is not whole in it, so that it is: feedback drawn under a button (results, a
 * problem, a progress bar) that would otherwise appear below the fold with nothing visible changing. `keep`: the
 * control the user acted on (it has, or gets back, the focus), kept in the window too; an element too tall to fit
 * then starts right under it. An element already in sight is left where it is.
 */
export function bringIntoView(element, keep = null) {
  const margin = 16;
  const box = element.getBoundingClientRect();
  if (box.height === 0 || (box.top >= margin && box.bottom <= innerHeight)) return;
  let delta = box.top < margin || box.height > innerHeight - 2 * margin ? box.top - margin : box.bottom - innerHeight + margin;
  if (keep) {
    const top = keep.getBoundingClientRect().top;
    if (top - delta < margin) delta = top - margin;
  }
  if (Math.abs(delta) >= 1) window.scrollBy(0, delta);
}

/**
 * Orders trackers by name as people read names: "Budget 9" before "Budget 10" (digits compared as numbers), and
 * "budget" beside "Budget". A plain string order put "Budget 107" between "Budget 10" and "Budget 11".
 */
export function byName(a, b) {
  return a.name.localeCompare(b.name, undefined, {numeric: true, sensitivity: 'base'});
}

/** "1 tracker", "2 trackers". */
export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * What a page shows when it cannot show what was asked: its heading, the problem, and links onward (back: {href,
 * text}) or a retry button (retry: a function).
 */
export function pageProblem(page, title, message, {back, retry} = {}) {
  page.dataset.problem = 'true';
  fill(page, h('h1', {}, title),
    h('p', {class: 'problem', role: 'alert', testid: 'page-problem'}, message),
    h('p', {class: 'actions'},
      retry ? h('button', {type: 'button', testid: 'page-retry', onclick: retry}, 'Try again') : null,
      back ? h('a', {href: back.href, testid: 'page-back'}, back.text) : null));
}

/**
 * What a page says of a tracker or conversation the service does not have (404): an old bookmark, or one deleted
 * meanwhile. The service's "No tracker with id '…'" named an id the user never typed.
 */
export function notThere(page, what, back) {
  pageProblem(page, `${what.charAt(0).toUpperCase()}${what.slice(1)} not found`,
    `This ${what} does not exist; it may have been deleted.`, {back});
}

/**
 * A date and time to the minute ("Nov 28, 2026, 3:47 PM"), for lists and lines that wrap: seconds only made them
 * longer, and "PM" wrapped onto a line of its own at 390 px. The time is kept on one line.
 */
export function formatMinute(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso
    : date.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'}).replace(/(\d)\s+(?=[^\s\d,]+$)/u, '$1\u00a0');
}

export function score(value) {
  return typeof value === 'number' ? value.toFixed(2) : '–';
}

/**
 * "score S / threshold T" with the decimals that tell the two apart (up to the API's 4): a near miss read "score 0.69
 * / threshold 0.69" (until 2026-11-29), which looked as if it should have fired.
 */
export function scoreAndThreshold(value, threshold) {
  if (typeof value !== 'number' || typeof threshold !== 'number') return `score ${score(value)} / threshold ${score(threshold)}`;
  let digits = 2;
  while (digits < 4 && value !== threshold && value.toFixed(digits) === threshold.toFixed(digits)) digits++;
  return `score ${value.toFixed(digits)} / threshold ${threshold.toFixed(digits)}`;
}

/** Saves `text` as a file named `fileName` (of media type `type`), as a download the browser offers. */
export function download(fileName, text, type) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // not at once: the browser may still be reading the file when click() returns
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
