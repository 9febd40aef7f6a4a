// What survives leaving a page: drafts of what the user typed (kept for this tab, per account, so that a sign-in in
// the middle of an edit gives the text back), and the question "leave with unsaved changes?".
import {lastAppId} from './api.js';
import {h} from './dom.js';

const DRAFTS_KEY = 'opentrackers.drafts';

function drafts() {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFTS_KEY) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

function draftKey(key) {
  return `${lastAppId() ?? ''} ${key}`;
}

/** The values saved under key for the account signed in last, or null. */
export function loadDraft(key) {
  return drafts()[draftKey(key)] ?? null;
}

export function saveDraft(key, values) {
  const all = drafts();
  all[draftKey(key)] = values;
  sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(all));
}

export function clearDraft(key) {
  const all = drafts();
  delete all[draftKey(key)];
  sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(all));
}

/**
 * Whether text typed under the account signed in last is kept, to be given back after a sign-in: an editor's changes
 * or a box's text (a list's view, its search and sort, also kept here, is not something typed and lost).
 */
export function hasDrafts() {
  const prefix = draftKey('');
  return Object.entries(drafts()).some(([key, values]) => key.startsWith(prefix) && !key.endsWith('-list')
    && Object.values(values ?? {}).some(value => typeof value === 'string' && value.trim()));
}

/**
 * The query parameters of a link to a page reached from elsewhere than its menu (a conversation from Teach, the calls
 * behind an analytics figure): the page offers "← text" back to hash, which only the browser's Back did before.
 */
export function backHere(hash, text) {
  return {back: hash, backText: text};
}

/** The "← Teach “Pricing”" link a page was given by backHere, or null: only an address inside the app. */
export function backLink(query) {
  const back = query?.get('back');
  const text = query?.get('backText');
  return back && text && /^#\/[^\s]*$/u.test(back)
    ? h('a', {href: back, testid: 'came-from'}, `← ${text}`) : null;
}

/** On sign-out: nothing typed under one account is offered to the next. */
export function clearAllDrafts() {
  sessionStorage.removeItem(DRAFTS_KEY);
}

/**
 * Keeps the value of each input (a map name → input) as a draft under key while the user types, and puts a kept
 * draft back. Returns true when it restored something.
 */
export function keepDrafted(key, inputs) {
  const saved = loadDraft(key);
  let restored = false;
  for (const [name, input] of Object.entries(inputs)) {
    if (saved && typeof saved[name] === 'string' && saved[name] !== input.value) {
      input.value = saved[name];
      restored = true;
    }
    input.addEventListener(input.tagName === 'SELECT' ? 'change' : 'input', () =>
      saveDraft(key, Object.fromEntries(Object.entries(inputs).map(([n, i]) => [n, i.value]))));
  }
  return restored;
}

// the page whose unsaved changes must not be lost without asking; only while its element is on screen
let guard = null;

/**
 * Asks before leaving the page drawn in container while isDirty() is true. discard() runs when the user chooses to
 * leave anyway (it drops the page's draft).
 */
export function guardUnsaved(container, isDirty, discard) {
  // a page the user has already left must not take the place of the one on screen
  if (!container.isConnected) return;
  guard = {container, isDirty, discard};
}

export function hasUnsavedChanges() {
  return Boolean(guard && guard.container.isConnected && guard.isDirty());
}

// the question on screen, if any: a second way out while it is open (Back pressed again) waits for the same answer
let asking = null;

/** Resolves true when the page may be left: nothing unsaved, or the user chose to leave (the changes are dropped). */
export async function mayLeave() {
  if (asking) return asking;
  if (!hasUnsavedChanges()) return true;
  asking = askToLeave().then(leave => {
    asking = null;
    if (leave) {
      guard?.discard?.();
      guard = null;
    }
    return leave;
  });
  return asking;
}

function askToLeave() {
  return new Promise(resolve => {
    const stay = h('button', {type: 'button', class: 'primary', testid: 'leave-stay'}, 'Stay on this page');
    const leave = h('button', {type: 'button', testid: 'leave-confirm'}, 'Leave without saving');
    const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'leave-title', 'aria-describedby': 'leave-text',
      testid: 'leave-dialog'},
      h('h2', {id: 'leave-title'}, 'Leave without saving?'),
      h('p', {id: 'leave-text'}, 'Your changes on this page are not saved. If you leave, they are lost.'),
      h('div', {class: 'actions'}, stay, leave));
    const finish = answer => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    stay.addEventListener('click', () => finish(false));
    leave.addEventListener('click', () => finish(true));
    // Escape closes the dialog: the user stays
    dialog.addEventListener('cancel', event => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    stay.focus();
  });
}
