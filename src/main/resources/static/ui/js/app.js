// The management UI: hash routes, sign-in, and the pages. Each page module exports render functions that draw into
// the page element they are given: app.js gives every navigation a new one, so a page still loading when the user
// moves on draws into an element no longer on screen and can never cover the page the user asked for.
import {session, signIn, signOut, whenSignedOut, lastAppId, problemText, dropExpiredToken} from './api.js';
import {h, fill, field, showError, whileBusy, takeNotice} from './dom.js';
import {mayLeave, hasUnsavedChanges, hasDrafts, clearAllDrafts} from './nav.js';

const main = document.getElementById('main');
const top = document.getElementById('top');

// [path pattern, title while loading, render(page, ...decoded path parts, query)]
const routes = [
  [/^#\/trackers\/new$/, 'New tracker', page => import('./trackers.js').then(m => m.renderEditor(page, null))],
  [/^#\/trackers\/([^/]+)\/teach$/, 'Teach', (page, id) => import('./teach.js').then(m => m.render(page, id))],
  [/^#\/trackers\/([^/]+)$/, 'Tracker', (page, id) => import('./trackers.js').then(m => m.renderEditor(page, id))],
  [/^#\/try$/, 'Try it', page => import('./try.js').then(m => m.render(page))],
  [/^#\/conversations\/([^/]+)$/, 'Conversation', (page, id, query) => import('./conversations.js').then(m => m.renderConversation(page, id, query))],
  [/^#\/conversations$/, 'Conversations', (page, query) => import('./conversations.js').then(m => m.renderList(page, query))],
  [/^#\/analytics$/, 'Analytics', (page, query) => import('./analytics.js').then(m => m.render(page, query))],
  [/^#\/trackers$/, 'Trackers', page => import('./trackers.js').then(m => m.renderList(page))],
];

let signInNotice = null;
const SIGNED_OUT = 'You have signed out.';
let expiryTimer = null;
// the hash of the page on screen, to put back when the user chooses to stay on a page with unsaved changes
let shownHash = null;
// every navigation gets the next number; a render that finds another number current has been overtaken
let navigation = 0;
// the first page of the document (opened from a bookmark, reloaded) leaves the focus where the browser put it, at the
// document's start, so that the first Tab reaches the skip link; a navigation inside the app moves it to the heading
let firstPage = true;

// a user in the middle of an edit whose session ends fears the edit is lost: the sign-in page says it is kept
const KEPT = ' What you typed and did not save is kept: it will be back after you sign in.';

whenSignedOut(reason => {
  signInNotice = reason ? reason + (reason !== SIGNED_OUT && (hasUnsavedChanges() || hasDrafts()) ? KEPT : '') : null;
  clearTimeout(expiryTimer);
  route();
});

// the skip link's #main would be a route to the pages (hash routing), and named none: "Page not found" replaced the
// page it was meant to skip to. It moves the focus into the content instead, the address unchanged.
const SKIP_TARGET = '#main';
document.querySelector('.skip-link').addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});
// the skip link followed by the browser itself, before this script was there to stop it (the first moments of a load
// on a slow network), is undone once: back to the address the document was loaded at, whose page is then drawn with
// the focus in it (a navigation's); an address that was #main from the start (a bookmark, a reload) opens the trackers
let skipFollowedUndone = false;

function undoFollowedSkipLink() {
  if (location.hash !== SKIP_TARGET) return false;
  const loadedAt = new URL(performance.getEntriesByType('navigation')[0]?.name ?? location.href).hash;
  if (loadedAt !== SKIP_TARGET && !skipFollowedUndone) {
    skipFollowedUndone = true;
    history.back(); // its hashchange draws the page
    return true;
  }
  history.replaceState(history.state, '', location.pathname + location.search);
  return false;
}

document.getElementById('sign-out').addEventListener('click', async () => {
  if (!(await mayLeave())) return;
  clearAllDrafts();
  // the next account starts on its own trackers, not on a page of this one's
  history.replaceState(null, '', location.pathname);
  signOut(SIGNED_OUT);
});

window.addEventListener('hashchange', async () => {
  const target = location.hash;
  if (shownHash !== null && target !== shownHash && hasUnsavedChanges()) {
    // back to the page with the changes while the user decides (replaceState fires no hashchange)
    history.replaceState(history.state, '', shownHash || location.pathname);
    if (!(await mayLeave())) return;
    location.hash = target;
    return;
  }
  route();
});

window.addEventListener('beforeunload', event => {
  if (hasUnsavedChanges()) {
    event.preventDefault();
    event.returnValue = '';
  }
});

route();

function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return null; // a malformed escape (%E0%A4%A): no such page
  }
}

async function route() {
  const token = ++navigation;
  const loaded = firstPage;
  firstPage = false;
  if (undoFollowedSkipLink()) return;
  const current = session();
  if (!current) {
    if (dropExpiredToken()) signInNotice = `Your session has expired. Please sign in again.${hasDrafts() ? KEPT : ''}`;
    shownHash = null;
    top.hidden = true;
    renderSignIn();
    return;
  }
  top.hidden = false;
  document.getElementById('account-name').textContent = current.appId ?? '';
  clearTimeout(expiryTimer);
  if (current.expiresAt) {
    // the token dies at its exp; go back to sign-in then rather than on the next failed call
    expiryTimer = setTimeout(() => signOut('Your session has expired. Please sign in again.'),
      Math.min(current.expiresAt - Date.now(), 2 ** 31 - 1));
  }
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    history.replaceState(history.state, '', '#/trackers');
  }
  const hash = location.hash;
  shownHash = hash;
  const [path, queryString] = hash.split('?');
  const section = path.split('/')[1] ?? '';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // the page the user asked for replaces the old one at once, saying it is on its way
  const page = h('div', {class: 'page'}, h('p', {class: 'loading page-loading', role: 'status', testid: 'page-loading'}, 'Loading…'));
  main.setAttribute('aria-busy', 'true');
  fill(main, page);

  const found = routes.map(([pattern, title, render]) => ({match: pattern.exec(path), title, render})).find(r => r.match);
  const parts = found?.match.slice(1).map(decode) ?? [];
  document.title = `${found && !parts.includes(null) ? found.title : 'Not found'} – OpenTrackers`;
  try {
    if (!found || parts.includes(null)) {
      renderNotFound(page);
    } else {
      await found.render(page, ...parts, new URLSearchParams(queryString ?? ''));
    }
  } catch (error) {
    if (token !== navigation) return;
    fill(page, h('h1', {}, 'Something went wrong'), h('p', {class: 'problem', role: 'alert'}, String(error?.message ?? error)),
      h('p', {}, h('a', {href: '#/trackers'}, 'Go to the trackers')));
  }
  if (token !== navigation) return;
  // a notice for a page that did not show it (the user went elsewhere): heard already, not shown on a later page
  takeNotice();
  main.removeAttribute('aria-busy');
  const heading = page.querySelector('h1');
  if (heading) {
    document.title = `${heading.textContent} – OpenTrackers`;
    // where a screen reader or the keyboard continues from: the new page, unless the page chose a field itself
    // a page that could not be shown says why at its heading, even when opened from a bookmark: the focus left at
    // the document's start read nothing of it
    if ((!loaded || page.dataset.problem) && !page.contains(document.activeElement) && !document.querySelector('dialog[open]')) {
      heading.tabIndex = -1;
      heading.focus({preventScroll: true});
    }
  }
  // read by the browser tests (and anyone in dev tools) to time pages; see docs/ui.md
  performance.mark(`ready:${section}`);
}

function renderNotFound(page) {
  fill(page, h('h1', {}, 'Page not found'),
    h('p', {testid: 'not-found'}, 'There is no page at this address. It may have been mistyped or shortened.'),
    h('p', {}, h('a', {href: '#/trackers'}, 'Go to the trackers')));
}

function renderSignIn() {
  document.title = 'Sign in – OpenTrackers';
  main.removeAttribute('aria-busy');
  const appId = field('App ID', h('input', {name: 'appId', autocomplete: 'username', required: true, testid: 'login-app-id',
    value: lastAppId() ?? ''}));
  const secret = field('App secret', h('input', {name: 'appSecret', type: 'password', autocomplete: 'current-password',
    required: true, testid: 'login-app-secret'}));
  let problem = h('p', {class: 'problem', role: 'alert', hidden: true, testid: 'login-error'});
  const submit = h('button', {type: 'submit', class: 'primary', testid: 'login-submit'}, 'Sign in');
  const form = h('form', {class: 'card sign-in', novalidate: true, onsubmit: async event => {
    event.preventDefault();
    showError(appId, appId.input.value.trim() ? [] : ['Enter the App ID of your account.']);
    showError(secret, secret.input.value ? [] : ['Enter the App secret.']);
    if (!appId.input.value.trim() || !secret.input.value) return;
    problem.hidden = true;
    const response = await whileBusy(submit, () => signIn(appId.input.value.trim(), secret.input.value));
    if (response.ok) {
      signInNotice = null;
      route();
    } else {
      // a new alert each time: a live region whose text does not change is not read again, so the same refusal
      // twice in a row would be silent
      const shown = h('p', {class: 'problem', role: 'alert', testid: 'login-error'}, response.status === 401
        ? 'The App ID or App secret is wrong.'
        : problemText(response));
      problem.replaceWith(shown);
      problem = shown;
      secret.input.focus();
    }
  }},
  h('h1', {}, 'Sign in to OpenTrackers'),
  h('p', {class: 'hint'}, 'Use the App ID and App secret of your account (the same ones the API uses). The sign-in holds for this tab only: a new tab asks for it again, and closing this tab signs you out.'),
  signInNotice ? h('p', {class: 'notice', role: 'status', testid: 'login-notice'}, signInNotice) : null,
  appId.row, secret.row, problem, submit);
  fill(main, form);
  (appId.input.value ? secret.input : appId.input).focus();
  performance.mark('ready:sign-in');
}
