// A first journey with the typescript-fetch client generated from /v3/api-docs: docs/api.md, "Generating a client",
// says how to build and run it. Environment: APP_SECRET (the demo account's), APP_ID (demo), BASE.
import {
  Configuration, AuthenticationApi, TrackersApi, AsyncAPIApi, ConversationsApi, MatchingApi,
  ResponseError, ProblemFromJSON, Problem, JobViewStatusEnum, TrackerResult, TrackerPatchOperationOpEnum,
} from './opentrackers-client';

const basePath = process.env.BASE ?? 'http://localhost:8080';
const appId = process.env.APP_ID ?? 'demo';
const appSecret = process.env.APP_SECRET!;

/** The RFC 9457 problem of a failed call, typed. */
async function problemOf(e: unknown): Promise<Problem> {
  if (e instanceof ResponseError) {
    return ProblemFromJSON(await e.response.json());
  }
  throw e;
}

async function main() {
  const auth = new AuthenticationApi(new Configuration({ basePath }));
  const token = await auth.generateToken({ tokenRequest: { type: 'application', appId, appSecret } });
  console.log(`token: expires in ${token.expiresIn} s`);
  const config = new Configuration({ basePath, accessToken: token.accessToken });
  const trackers = new TrackersApi(config);
  const jobs = new AsyncAPIApi(config);
  const conversations = new ConversationsApi(config);
  const matching = new MatchingApi(config);

  const name = `Pricing ${Date.now()}`;
  const created = await trackers.createTracker({ trackerRequest: {
    name, vocabulary: ['what is the price', 'how much does it cost', 'too expensive', 'discount', 'pricing plan'],
    speaker: 'any' } });
  const id = created.tracker.id;
  console.log(`created ${id} "${created.tracker.name}" v${created.tracker.version} at ${created.tracker.createdOn.toISOString()}`);

  const all = await trackers.listTrackers();
  console.log(`listed ${all.trackers.length} trackers`);
  const byName = await trackers.listTrackers({ name });
  console.log(`by name: ${byName.trackers.map(t => t.id).join(',')}`);
  const one = await trackers.getTracker({ id });
  console.log(`by id: ${one.tracker.name}`);

  const patched = await trackers.patchTracker({ id, trackerPatchOperation: [
    { op: TrackerPatchOperationOpEnum.Add, path: '/vocabulary/-', value: 'cheaper plan' }] });
  console.log(`patched: v${patched.tracker.version}, ${patched.tracker.vocabulary.length} phrases`);

  const accepted = await jobs.submitConversation({ processTextRequest: {
    name: 'First call', trackers: [{ id }],
    messages: [
      { payload: { content: 'Hello, I would like to know how much does it cost per month.' }, from: { name: 'Bob' } },
      { payload: { content: 'Sure, our pricing plan starts at ten dollars.' }, from: { name: 'Ann' } },
    ] } });
  console.log(`job ${accepted.jobId} for conversation ${accepted.conversationId}`);
  let job = await jobs.getJob({ jobId: accepted.jobId });
  for (let i = 0; i < 120 && job.status !== JobViewStatusEnum.Completed && job.status !== JobViewStatusEnum.Failed; i++) {
    await new Promise(r => setTimeout(r, 500));
    job = await jobs.getJob({ jobId: accepted.jobId });
  }
  console.log(`job ${job.status} (${job.progress.done}/${job.progress.total})`);

  const hits: TrackerResult[] = await conversations.getConversationTrackers({ conversationId: accepted.conversationId });
  for (const hit of hits) {
    for (const m of hit.matches) {
      console.log(`hit ${hit.name}: "${m.value}" in "${m.messageRefs[0].text}" offset ${m.messageRefs[0].offset} score ${m.messageRefs[0].score}`);
    }
  }

  const plain = await matching.matchMessages({ matchRequest: { trackers: [{ id }],
    messages: [{ payload: { content: 'Can I get a discount?' } }] } });
  if (Array.isArray(plain)) {
    console.log(`match: ${plain.length} tracker(s) hit: ${plain.map(r => r.name).join(', ')}`);
  }
  const explained = await matching.matchMessages({ matchRequest: { trackers: [{ id }], explain: true,
    messages: [{ id: 'm1', payload: { content: 'The weather is nice today' } }] } });
  if (!Array.isArray(explained)) {
    const c = explained.explanations[0].candidates[0];
    console.log(`explain: ${c.name} fired=${c.fired} score ${c.score} threshold ${c.threshold} (${c.reason})`);
  }

  try {
    await trackers.createTracker({ trackerRequest: { name, vocabulary: ['a b c', 'd e f', 'g h i', 'j k l', 'm n o'] } });
    console.log('UNEXPECTED: duplicate accepted');
  } catch (e) {
    const p = await problemOf(e);
    console.log(`duplicate: ${p.status} ${p.type} — ${p.detail}`);
  }
  try {
    await trackers.createTracker({ trackerRequest: { name: 'Bad', vocabulary: ['what?'] } });
    console.log('UNEXPECTED: bad input accepted');
  } catch (e) {
    const p = await problemOf(e);
    console.log(`bad input: ${p.status} ${p.type}; ${(p.errors ?? []).map(x => `${x.field}: ${x.message}`).join('; ')}`);
  }

  const vocab = ['first phrase', 'second phrase', 'third phrase', 'fourth phrase', 'fifth phrase'];
  const several = await trackers.createTrackers({ oneOrMoreTrackers: [
    { name: `${name} A`, vocabulary: vocab }, { name: `${name} B`, vocabulary: vocab }] });
  if ('trackers' in several) {
    console.log(`createTrackers (array body): ${several.trackers.map(t => t.name).join(', ')}`);
    for (const t of several.trackers) await trackers.deleteTracker({ id: t.id });
  }
  const single = await trackers.createTrackers({ oneOrMoreTrackers: { name: `${name} C`, vocabulary: vocab } });
  if ('tracker' in single) {
    console.log(`createTrackers (object body): ${single.tracker.name}`);
    await trackers.deleteTracker({ id: single.tracker.id });
  }
  const deleted = await trackers.deleteTracker({ id });
  console.log(`deleted: ${deleted.deleted}`);
}

main().catch(async e => {
  console.error('journey failed:', e instanceof ResponseError ? `${e.response.status} ${await e.response.text()}` : e);
  process.exit(1);
});
