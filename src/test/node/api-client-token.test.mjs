// Obtains an access token from a running OpenTrackers service with Symbl.ai's official JavaScript client
// (@symblai/api-client, AuthenticationApi.generateToken), then proves the token works by listing trackers.
// Environment: OPENTRACKERS_BASE_URL, OPENTRACKERS_APP_ID, OPENTRACKERS_APP_SECRET. Exit code 0 = success.
import { createRequire } from 'node:module';
import { serviceEnvironment } from './service-env.mjs';

const require = createRequire(import.meta.url);
const { ApiClient, AuthenticationApi, Grant } = require('@symblai/api-client');

const { baseUrl, appId, appSecret } = serviceEnvironment();

// The generated client keeps its server in basePath (default https://api.symbl.ai); point it at ours.
const client = new ApiClient();
client.basePath = baseUrl.replace(/\/+$/, '');
const auth = new AuthenticationApi(client);

const grant = new Grant('application');
grant.appId = appId;
grant.appSecret = appSecret;

const token = await new Promise((resolve, reject) => {
  auth.generateToken(grant, (error, data) => (error ? reject(error) : resolve(data)));
});
if (!token || typeof token.accessToken !== 'string' || !(token.expiresIn > 0)) {
  console.error('unexpected token response', token);
  process.exit(1);
}
console.log(`accessToken=${token.accessToken}`);
console.log(`expiresIn=${token.expiresIn}`);

const response = await fetch(`${client.basePath}/v1/manage/trackers`, {
  headers: { Authorization: `Bearer ${token.accessToken}` },
});
console.log(`trackersStatus=${response.status}`);
if (response.status !== 200) {
  console.error(await response.text());
  process.exit(1);
}
const body = await response.json();
if (!Array.isArray(body.trackers)) {
  console.error('GET /v1/manage/trackers did not return a trackers array', body);
  process.exit(1);
}
console.log(`trackers=${body.trackers.length}`);
