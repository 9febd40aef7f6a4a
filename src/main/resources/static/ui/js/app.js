// The management UI: hash routes, sign-in, and the pages. Each page module exports render(main, params).
import {session, signIn, signOut, whenSignedOut, lastAppId, problemText} from './api.js';
import {h, fill, field, showError} from './dom.js';

const main = document.getElementById('main');
const top = document.getElementById('top');

const routes = [
  [/^#\/trackers\/new$/, () => import('./trackers.js').then(m => m.renderEditor(main, null))],
  [/^#\/trackers\/([^/]+)\/teach$/, id => import('./teach.js').then(m => m.render(main, decodeURIComponent(id)))],
  [/^#\/trackers\/([^/]+)$/, id => import('./trackers.js').then(m => m.renderEditor(main, decodeURIComponent(id)))],
  [/^#\/try$/, () => import('./try.js').then(m => m.render(main))],
  [/^#\/conversations\/([^/]+)$/, id => import('./conversations.js').then(m => m.renderConversation(main, decodeURIComponent(id)))],
  [/^#\/conversations$/, () => import('./conversations.js').then(m => m.renderList(main))],
  [/^#\/analytics$/, () => import('./analytics.js').then(m => m.render(main))],
  [/^#\/trackers$/, () => import('./trackers.js').then(m => m.renderList(main))],
];

let signInNotice = null;
let expiryTimer = null;

whenSignedOut(reason => {
  signInNotice = reason ?? null;
  clearTimeout(expiryTimer);
  route();
});

document.getElementById('sign-out').addEventListener('click', () => signOut('You have signed out.'));
window.addEventListener('hashchange', route);
route();

async function route() {
  const current = session();
  if (!current) {
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
  const hash = location.hash || '#/trackers';
  const section = hash.split('/')[1] ?? 'trackers';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  for (const [pattern, render] of routes) {
    const match = pattern.exec(hash);
    if (match) {
      try {
        await render(...match.slice(1));
        // read by the browser tests (and anyone in dev tools) to time pages; see docs/ui.md
        performance.mark(`ready:${section}`);
      } catch (error) {
        fill(main, h('h1', {}, 'Something went wrong'), h('p', {class: 'problem'}, String(error?.message ?? error)));
      }
      return;
    }
  }
  location.hash = '#/trackers';
}

function renderSignIn() {
  const appId = field('App ID', h('input', {name: 'appId', autocomplete: 'username', required: true, testid: 'login-app-id',
    value: lastAppId() ?? ''}));
  const secret = field('App secret', h('input', {name: 'appSecret', type: 'password', autocomplete: 'current-password',
    required: true, testid: 'login-app-secret'}));
  const problem = h('p', {class: 'problem', role: 'alert', hidden: true, testid: 'login-error'});
  const submit = h('button', {type: 'submit', class: 'primary', testid: 'login-submit'}, 'Sign in');
  const form = h('form', {class: 'card sign-in', novalidate: true, onsubmit: async event => {
    event.preventDefault();
    showError(appId, appId.input.value.trim() ? [] : ['Enter the App ID of your account.']);
    showError(secret, secret.input.value ? [] : ['Enter the App secret.']);
    if (!appId.input.value.trim() || !secret.input.value) return;
    submit.disabled = true;
    problem.hidden = true;
    const response = await signIn(appId.input.value.trim(), secret.input.value);
    submit.disabled = false;
    if (response.ok) {
      signInNotice = null;
      if (!location.hash || location.hash === '#/') location.hash = '#/trackers';
      route();
    } else {
      problem.textContent = response.status === 401
        ? 'The App ID or App secret is wrong.'
        : problemText(response);
      problem.hidden = false;
      secret.input.focus();
    }
  }},
  h('h1', {}, 'Sign in to OpenTrackers'),
  h('p', {class: 'hint'}, 'Use the App ID and App secret of your account (the same ones the API uses). You stay signed in in this tab only.'),
  signInNotice ? h('p', {class: 'notice', role: 'status', testid: 'login-notice'}, signInNotice) : null,
  appId.row, secret.row, problem, submit);
  fill(main, form);
  (appId.input.value ? secret.input : appId.input).focus();
  performance.mark('ready:sign-in');
}
