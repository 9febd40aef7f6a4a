import io.opentrackers.client.ApiClient;
import io.opentrackers.client.ApiException;
import io.opentrackers.client.api.*;
import io.opentrackers.client.model.*;
import java.util.List;

/**
 * A first journey with the Java client (okhttp-gson) generated from /v3/api-docs: docs/api.md, "Generating a client",
 * says how to build and run it. Environment: APP_SECRET (the demo account's), APP_ID (demo), BASE.
 */
public class Journey {
    public static void main(String[] args) throws Exception {
        String base = System.getenv().getOrDefault("BASE", "http://localhost:8080");
        ApiClient client = new ApiClient().setBasePath(base);
        TokenResponse token = new AuthenticationApi(client).generateToken(new TokenRequest()
                .type("application").appId(System.getenv().getOrDefault("APP_ID", "demo"))
                .appSecret(System.getenv("APP_SECRET")));
        System.out.println("token: expires in " + token.getExpiresIn() + " s");
        client.setBearerToken(token.getAccessToken());
        TrackersApi trackers = new TrackersApi(client);
        AsyncApiApi jobs = new AsyncApiApi(client);
        ConversationsApi conversations = new ConversationsApi(client);
        MatchingApi matching = new MatchingApi(client);

        String name = "Pricing " + System.currentTimeMillis();
        TrackerResponse tracker = trackers.createTracker(new TrackerRequest().name(name)
                .vocabulary(List.of("what is the price", "how much does it cost", "too expensive", "discount",
                        "pricing plan"))
                .speaker(TrackerRequest.SpeakerEnum.ANY)).getTracker();
        String id = tracker.getId();
        System.out.println("created " + id + " \"" + tracker.getName() + "\" v" + tracker.getVersion() + " at "
                + tracker.getCreatedOn());

        System.out.println("listed " + trackers.listTrackers(null, null, null).getTrackers().size() + " trackers");
        System.out.println("by name: " + trackers.listTrackers(name, null, null).getTrackers().get(0).getId());
        System.out.println("by id: " + trackers.getTracker(id, null).getTracker().getName());

        TrackerResponse patched = trackers.patchTracker(id, List.of(new TrackerPatchOperation()
                .op(TrackerPatchOperation.OpEnum.ADD).path("/vocabulary/-").value("cheaper plan")), null).getTracker();
        System.out.println("patched: v" + patched.getVersion() + ", " + patched.getVocabulary().size() + " phrases");

        ProcessTextAccepted accepted = jobs.submitConversation(new ProcessTextRequest().name("First call")
                .addTrackersItem(new TrackerReference().id(id))
                .addMessagesItem(new IncomingMessage().payload(new MessagePayload()
                        .content("Hello, I would like to know how much does it cost per month."))
                        .from(new Speaker().name("Bob")))
                .addMessagesItem(new IncomingMessage().payload(new MessagePayload()
                        .content("Sure, our pricing plan starts at ten dollars.")).from(new Speaker().name("Ann"))),
                null, null, null, null, null, null);
        System.out.println("job " + accepted.getJobId() + " for conversation " + accepted.getConversationId());
        JobView job = jobs.getJob(accepted.getJobId());
        for (int i = 0; i < 120 && job.getStatus() != JobView.StatusEnum.COMPLETED
                && job.getStatus() != JobView.StatusEnum.FAILED; i++) {
            Thread.sleep(500);
            job = jobs.getJob(accepted.getJobId());
        }
        System.out.println("job " + job.getStatus() + " (" + job.getProgress().getDone() + "/"
                + job.getProgress().getTotal() + ")");

        for (TrackerResult hit : conversations.getConversationTrackers(accepted.getConversationId())) {
            for (PhraseMatch match : hit.getMatches()) {
                MessageRef ref = match.getMessageRefs().get(0);
                System.out.println("hit " + hit.getName() + ": \"" + match.getValue() + "\" offset " + ref.getOffset()
                        + " score " + ref.getScore());
            }
        }

        MatchResponse plain = matching.matchMessages(new MatchRequest().addTrackersItem(new TrackerReference().id(id))
                .addMessagesItem(new IncomingMessage().payload(new MessagePayload().content("Can I get a discount?"))));
        System.out.println("match: " + plain.getListTrackerResult().size() + " tracker(s) hit");
        MatchResponse explained = matching.matchMessages(new MatchRequest().explain(true)
                .addTrackersItem(new TrackerReference().id(id))
                .addMessagesItem(new IncomingMessage().id("m1")
                        .payload(new MessagePayload().content("The weather is nice today"))));
        Candidate candidate = explained.getMatchExplained().getExplanations().get(0).getCandidates().get(0);
        System.out.println("explain: " + candidate.getName() + " fired=" + candidate.getFired() + " score "
                + candidate.getScore() + " threshold " + candidate.getThreshold() + " (" + candidate.getReason() + ")");

        try {
            trackers.createTracker(new TrackerRequest().name(name)
                    .vocabulary(List.of("a b c", "d e f", "g h i", "j k l", "m n o")));
            System.out.println("UNEXPECTED: duplicate accepted");
        } catch (ApiException e) {
            Problem problem = Problem.fromJson(e.getResponseBody());
            System.out.println("duplicate: " + e.getCode() + " " + problem.getType() + " - " + problem.getDetail());
        }
        try {
            trackers.createTracker(new TrackerRequest().name("Bad").vocabulary(List.of("what?")));
            System.out.println("UNEXPECTED: bad input accepted");
        } catch (ApiException e) {
            Problem problem = Problem.fromJson(e.getResponseBody());
            System.out.println("bad input: " + problem.getStatus() + " " + problem.getType() + "; "
                    + problem.getErrors().stream().map(x -> x.getField() + ": " + x.getMessage()).toList());
        }
        List<String> vocab = List.of("first phrase", "second phrase", "third phrase", "fourth phrase", "fifth phrase");
        CreatedTrackers several = trackers.createTrackers(new OneOrMoreTrackers(List.of(
                new TrackerRequest().name(name + " A").vocabulary(vocab),
                new TrackerRequest().name(name + " B").vocabulary(vocab))));
        List<TrackerResponse> both = several.getTrackerList().getTrackers();
        System.out.println("createTrackers (array body): " + both.stream().map(TrackerResponse::getName).toList());
        for (TrackerResponse each : both) {
            trackers.deleteTracker(each.getId(), null);
        }
        CreatedTrackers single = trackers.createTrackers(new OneOrMoreTrackers(
                new TrackerRequest().name(name + " C").vocabulary(vocab)));
        TrackerResponse third = single.getTrackerEnvelope().getTracker();
        System.out.println("createTrackers (object body): " + third.getName());
        trackers.deleteTracker(third.getId(), null);
        System.out.println("deleted: " + trackers.deleteTracker(id, null).getDeleted());
    }
}
