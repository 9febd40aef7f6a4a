// The service's API as the pages use it: the token for this tab only (sessionStorage), every call with it, and a
// 401 on any call sending the user back to sign in.

const TOKEN_KEY = 'opentrackers.token';
const APP_ID_KEY = 'opentrackers.appId';
const EXPIRES_KEY = 'opentrackers.expiresAt';

let onSignedOut = () => {};

export function whenSignedOut(callback) {
  onSignedOut = callback;
}

export function session() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const expiresAt = Number(sessionStorage.getItem(EXPIRES_KEY) ?? 0);
  if (!token || (expiresAt && Date.now() >= expiresAt)) return null;
  return {token, appId: sessionStorage.getItem(APP_ID_KEY), expiresAt};
}

/**
 * Drops a token that expired while nobody looked (the tab was reloaded, or slept, past its exp). Returns true when
 * there was one, so that sign-in can say the session expired rather than greet the user as new.
 */
export function dropExpiredToken() {
  const expiresAt = Number(sessionStorage.getItem(EXPIRES_KEY) ?? 0);
  if (!sessionStorage.getItem(TOKEN_KEY) || !expiresAt || Date.now() < expiresAt) return false;
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(EXPIRES_KEY);
  return true;
}

/** The App ID last signed in with in this tab, to offer it again after a sign-out or an expiry. */
export function lastAppId() {
  return sessionStorage.getItem(APP_ID_KEY);
}

export function signOut(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(EXPIRES_KEY);
  onSignedOut(reason);
}

/** Exchanges appId / appSecret for a token; returns {ok, status, body}. */
export async function signIn(appId, appSecret) {
  const response = await call('POST', '/oauth2/token:generate', {type: 'application', appId, appSecret}, {anonymous: true});
  if (response.ok) {
    sessionStorage.setItem(TOKEN_KEY, response.body.accessToken);
    sessionStorage.setItem(APP_ID_KEY, appId);
    sessionStorage.setItem(EXPIRES_KEY, String(Date.now() + response.body.expiresIn * 1000));
  }
  return response;
}

/**
 * One API call. body: an object (sent as JSON) or {raw, contentType}; options.headers: more request headers (If-Match).
 * Resolves to {ok, status, body} for every HTTP answer (problems included); rejects only when the service cannot be
 * reached.
 */
export async function call(method, path, body, options = {}) {
  const headers = {Accept: `${options.accept ?? 'application/json'}, application/problem+json`, ...options.headers};
  if (!options.anonymous) {
    const current = session();
    if (!current) {
      signOut('Your session has ended. Please sign in again.');
      return {ok: false, status: 401, body: null};
    }
    headers.Authorization = `Bearer ${current.token}`;
  }
  let payload;
  if (body && body.raw !== undefined) {
    payload = body.raw;
    headers['Content-Type'] = body.contentType;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = options.contentType ?? 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {method, headers, body: payload, cache: 'no-store', referrerPolicy: 'no-referrer'});
  } catch (error) {
    return {ok: false, status: 0, body: {detail: 'The service could not be reached. Check your connection and try again.'}};
  }
  const text = await response.text();
  // a representation that is not JSON (options.accept: the CSV of the analytics) is the body as it came
  if (options.accept && response.ok) return {ok: true, status: response.status, body: text, headers: response.headers};
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {detail: text};
    }
  }
  if (response.status === 401 && !options.anonymous) {
    signOut(parsed?.detail?.includes('expired')
      ? 'Your session has expired. Please sign in again.'
      : 'Your session has ended. Please sign in again.');
  }
  return {ok: response.ok, status: response.status, body: parsed};
}

/** True when the answer says the route itself does not exist (an API this server does not have yet). */
export function isMissingRoute(response) {
  return response.status === 404 || response.status === 405;
}

/** The problem's text for a failed call. */
export function problemText(response) {
  const body = response.body;
  if (!body) return `The service answered ${response.status}.`;
  return body.detail ?? body.message ?? body.title ?? `The service answered ${response.status}.`;
}
