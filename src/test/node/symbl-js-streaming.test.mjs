// Drives the Streaming API of a running OpenTrackers service with Symbl.ai's official JavaScript SDK
// (@symblai/symbl-js, unchanged): sdk.init against our basePath, startRealtimeRequest with an inline tracker,
// one transcript sent over the SDK's own connection, and the SDK's onTrackerResponse handler must receive the hit.
// Environment: OPENTRACKERS_BASE_URL, OPENTRACKERS_APP_ID, OPENTRACKERS_APP_SECRET. Exit code 0 = success.
//
// Shims (documented in docs/streaming.md), both through the SDK's own objects, the SDK itself is unchanged:
// 1. sdk.init({basePath}) applies basePath to the REST and WebSocket clients but not to the token client, which
//    was created with the SDK's default https://api.symbl.ai; sdk.oauth2.setBasePath(basePath) points it at us.
// 2. The SDK has no text-sending method; the connection's sendAudio(data) writes `data` to the WebSocket as is,
//    so a JSON string goes out as a text frame, which is our message_request.
import { createRequire } from 'node:module';
import { serviceEnvironment } from './service-env.mjs';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const { sdk } = require('@symblai/symbl-js');

const { baseUrl, appId, appSecret } = serviceEnvironment();

const SENTENCE = 'honestly we have no budget left for this';
// No phrase occurs in SENTENCE literally: the hit must come from the embedding model (offset -1).
const TRACKER = {
  name: 'Budget',
  vocabulary: ['I ran out of budget', 'we cannot afford it', 'the budget is spent', 'there is no money for this',
    'funding is exhausted'],
};

function fail(message, detail) {
  console.error(message, detail === undefined ? '' : JSON.stringify(detail));
  process.exit(1);
}

const timeout = setTimeout(() => fail('timed out waiting for the SDK'), 30000);

const basePath = baseUrl.replace(/\/+$/, '');
sdk.oauth2.setBasePath(basePath);
await sdk.init({ appId, appSecret, basePath, logLevel: 'error' });

let trackerResponse;
const received = new Promise((resolve) => {
  trackerResponse = resolve;
});

const connection = await sdk.startRealtimeRequest({
  id: randomUUID(),
  insightTypes: [],
  config: {
    speechRecognition: { encoding: 'LINEAR16', sampleRateHertz: 16000 },
    trackers: { interimResults: false, enableAllTrackers: false },
  },
  speaker: { userId: 'ann@example.com', name: 'Ann' },
  trackers: [TRACKER],
  handlers: {
    onTrackerResponse: (data) => trackerResponse(data),
    onRequestError: (error) => fail('the service reported an error', error),
  },
});
console.log(`conversationId=${connection.conversationId}`);
if (typeof connection.conversationId !== 'string' || connection.conversationId.length === 0) {
  fail('startRealtimeRequest resolved without a conversationId', connection);
}

connection.sendAudio(JSON.stringify({
  type: 'message_request',
  messages: [{ payload: { content: SENTENCE, contentType: 'text/plain' }, from: { userId: 'ann@example.com', name: 'Ann' }, isFinal: true }],
}));

const response = await received;
console.log(`trackerResponse=${JSON.stringify(response)}`);
const tracker = (response.trackers || []).find((t) => t.name === TRACKER.name);
if (response.type !== 'tracker_response' || response.isFinal !== true || !tracker) {
  fail('onTrackerResponse did not receive a final hit for the Budget tracker', response);
}
const ref = tracker.matches.flatMap((m) => m.messageRefs).find((r) => r.text === SENTENCE);
if (!ref || ref.offset !== -1) {
  fail('expected a meaning hit (offset -1) on the sent sentence', tracker);
}

const completed = await connection.stop();
console.log(`conversationCompleted=${JSON.stringify(completed)}`);
if (!completed || completed.conversationId !== connection.conversationId) {
  fail('stop() did not report the completed conversation', completed);
}
clearTimeout(timeout);
process.exit(0);
