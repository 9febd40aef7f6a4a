package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.common.VectorBytes;
import io.opentrackers.matching.EmbeddingModel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * One request, three entry points, one outcome: the same trackers and messages sent to {@code POST /v1/match},
 * as an async job and as a stream are refused naming the same fields, or hit the same trackers on the same
 * messages (with the real model). Each case also states the outcome api.md promises, so that three entry points
 * agreeing on a wrong answer fail too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntryPointConsistencyIT {

    private static final String PRICE = "How much does it cost per month?";
    private static final String CANCEL = "I want to cancel my subscription today.";
    private static final String WEATHER = "The weather is lovely this week.";
    private static final String INLINE = """
            {"name":"Cancellation","vocabulary":["cancel my subscription","close my account","end the contract",
             "stop the service","terminate my plan"]}""";
    private static final String MESSAGES = messages(message(PRICE), message(CANCEL), message(WEATHER));

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EmbeddingModel model;

    private TestApi api;
    private String pricingId;

    /** What a request came to: the fields it was refused for, or the (tracker, message) pairs that hit. */
    /**
     * @param hits   tracker name | text of the message (or sentence) hit
     * @param placed tracker name | phrase | the words the hit names (its start to end), where the answer has them
     */
    /**
     * @param placed each hit as tracker|phrase|the words it points at
     * @param scored each hit as tracker|phrase|score|the words it points at
     */
    record Outcome(Set<String> refusedFields, Set<String> hits, Set<String> placed, Set<String> scored) {

        static Outcome refused(String... fields) {
            return new Outcome(new TreeSet<>(Set.of(fields)), Set.of(), Set.of(), Set.of());
        }

        static Outcome hitting(String... trackerAndMessage) {
            return new Outcome(Set.of(), new TreeSet<>(Set.of(trackerAndMessage)), Set.of(), Set.of());
        }

        /** What the cases below state: refusals and hits, not where in the text the hits lie. */
        Outcome stated() {
            return new Outcome(refusedFields, hits, Set.of(), Set.of());
        }
    }

    @BeforeAll
    void accountWithOneManagedTracker() {
        api = TestApi.newAccount("http://localhost:" + port);
        TestApi.Response created = api.post("/v1/manage/trackers", """
                {"name":"Pricing","vocabulary":["how much does it cost","the price","pricing plans",
                 "what does it cost","is it expensive"]}""");
        assertThat(created.status()).isEqualTo(201);
        pricingId = created.body().get("tracker").get("id").asString();
    }

    /**
     * @param selection the request's {@code trackers} / {@code enableAllTrackers} members (JSON, may be empty;
     *                  {@code $PRICING} stands for the managed tracker's id)
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("neither trackers nor enableAllTrackers: every managed tracker", "", MESSAGES,
                        Outcome.hitting("Pricing|" + PRICE)),
                Arguments.of("an empty trackers list: no tracker", "\"trackers\":[]", MESSAGES,
                        Outcome.hitting()),
                Arguments.of("enableAllTrackers false alone: no tracker", "\"enableAllTrackers\":false", MESSAGES,
                        Outcome.hitting()),
                Arguments.of("an inline tracker only", "\"trackers\":[" + INLINE + "]", MESSAGES,
                        Outcome.hitting("Cancellation|" + CANCEL)),
                Arguments.of("an inline tracker and all managed ones",
                        "\"trackers\":[" + INLINE + "],\"enableAllTrackers\":true", MESSAGES,
                        Outcome.hitting("Pricing|" + PRICE, "Cancellation|" + CANCEL)),
                Arguments.of("a managed tracker by id", "\"trackers\":[{\"id\":\"$PRICING\"}]", MESSAGES,
                        Outcome.hitting("Pricing|" + PRICE)),
                // a generated client sends its unset lists as []: nothing beside the id, which no inline tracker
                // could be (it needs phrases)
                Arguments.of("an id with empty lists of phrases and exclusions",
                        "\"trackers\":[{\"id\":\"$PRICING\",\"vocabulary\":[],\"exclude\":[]}]", MESSAGES,
                        Outcome.hitting("Pricing|" + PRICE)),
                Arguments.of("an empty trackers list with enableAllTrackers", "\"trackers\":[],\"enableAllTrackers\":true",
                        MESSAGES, Outcome.hitting("Pricing|" + PRICE)),
                Arguments.of("an unknown tracker id", "\"trackers\":[{\"id\":\"no-such-tracker\"}]", MESSAGES,
                        Outcome.refused("trackers[0].id")),
                Arguments.of("an inline tracker breaking the vocabulary rules",
                        "\"trackers\":[{\"name\":\"Bad\",\"vocabulary\":[\"what?\",\"b\",\"c\",\"d\",\"e\"]}]",
                        MESSAGES, Outcome.refused("trackers[0].vocabulary[0]")),
                Arguments.of("an inline tracker whose name is only no-break and zero-width spaces",
                        "\"trackers\":[{\"name\":\"\\u00a0\\u200b\",\"vocabulary\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}]",
                        MESSAGES, Outcome.refused("trackers[0].name")),
                Arguments.of("an inline tracker whose phrases differ only in spacing and Unicode form",
                        "\"trackers\":[{\"name\":\"Same\",\"vocabulary\":[\"cafe\\u0301 au lait\","
                                + "\"caf\\u00e9\\u00a0 au lait\",\"c\",\"d\",\"e\"]}]",
                        MESSAGES, Outcome.refused("trackers[0].vocabulary[1]")),
                Arguments.of("a blank message", "", messages(message(PRICE), message("  ")),
                        Outcome.refused("messages[1].payload.content")),
                Arguments.of("a message of nothing visible (no-break and zero-width spaces), which was stored",
                        "", messages(message(PRICE), message("\\u00a0\\u200b ")),
                        Outcome.refused("messages[1].payload.content")),
                Arguments.of("a content type other than text", "",
                        messages("{\"payload\":{\"content\":\"" + PRICE + "\",\"contentType\":\"text/html\"}}"),
                        Outcome.refused("messages[0].payload.contentType")),
                Arguments.of("a speaker name too long", "",
                        messages("{\"payload\":{\"content\":\"" + PRICE + "\"},\"from\":{\"name\":\""
                                + "n".repeat(300) + "\"}}"),
                        Outcome.refused("messages[0].from.name")),
                Arguments.of("times that are not ISO-8601, or end before they start", "",
                        messages("{\"payload\":{\"content\":\"" + PRICE + "\"},\"duration\":{\"startTime\":"
                                        + "\"yesterday\"}}",
                                "{\"payload\":{\"content\":\"" + CANCEL + "\"},\"duration\":{\"startTime\":"
                                        + "\"2026-01-01T10:00:05Z\",\"endTime\":\"2026-01-01T10:00:00Z\"}}"),
                        Outcome.refused("messages[0].duration.startTime", "messages[1].duration.endTime")),
                Arguments.of("a time beyond what can be stored", "",
                        messages("{\"payload\":{\"content\":\"" + PRICE + "\"},\"duration\":{\"startTime\":"
                                + "\"+300000-01-01T00:00:00Z\"}}"),
                        Outcome.refused("messages[0].duration.startTime")),
                Arguments.of("a NUL character in a message", "",
                        messages("{\"payload\":{\"content\":\"price\\u0000list\"}}"),
                        Outcome.refused("messages[0].payload.content")),
                // tracker conditions (api.md "Tracker fields beyond Symbl"), decided alike by every entry point
                Arguments.of("speaker: only the customer's message, from.role", conditioned("\"speaker\":\"customer\""),
                        messages(said("agent", PRICE), said("customer", PRICE_AGAIN), said(null, PRICE_THIRD)),
                        Outcome.hitting("Pricing|" + PRICE_AGAIN)),
                Arguments.of("speaker: roles declared by name with speakerRoles",
                        conditioned("\"speaker\":\"agent\"") + ",\"speakerRoles\":{\"Bob\":\"agent\",\"u1\":\"customer\"}",
                        messages(byName("Bob", PRICE), message(PRICE_AGAIN)), Outcome.hitting("Pricing|" + PRICE)),
                Arguments.of("speaker: a speaker named Agent or Customer, in any case, has that role",
                        conditioned("\"speaker\":\"customer\""),
                        messages(byName("Agent", PRICE), byName("CUSTOMER", PRICE_AGAIN), byName("Ann", PRICE_THIRD)),
                        Outcome.hitting("Pricing|" + PRICE_AGAIN)),
                Arguments.of("speaker: speakerRoles and from.role win over the role a name is",
                        conditioned("\"speaker\":\"agent\"") + ",\"speakerRoles\":{\"Customer\":\"agent\"}",
                        messages(byName("Customer", PRICE), said("customer", PRICE_AGAIN).replace("Ann", "Agent")),
                        Outcome.hitting("Pricing|" + PRICE)),
                Arguments.of("window: the first message", conditioned(WINDOW.formatted("start", "messages", 1)),
                        messages(message(PRICE), message(PRICE_AGAIN), message(PRICE_THIRD)),
                        Outcome.hitting("Pricing|" + PRICE)),
                Arguments.of("window: the last two messages, decided at the end of a stream",
                        conditioned(WINDOW.formatted("end", "messages", 2)),
                        messages(message(PRICE), message(PRICE_AGAIN), message(PRICE_THIRD)),
                        Outcome.hitting("Pricing|" + PRICE_AGAIN, "Pricing|" + PRICE_THIRD)),
                Arguments.of("window: the first 30 seconds", conditioned(WINDOW.formatted("start", "seconds", 30)),
                        messages(timed(PRICE, 0, 10), timed(PRICE_AGAIN, 25, 40), timed(PRICE_THIRD, 60, 70)),
                        Outcome.hitting("Pricing|" + PRICE, "Pricing|" + PRICE_AGAIN)),
                Arguments.of("window: the first 30 seconds of messages sent out of time order",
                        conditioned(WINDOW.formatted("start", "seconds", 30)),
                        messages(timed(PRICE, 40, 45), timed(WEATHER, 0, 5), timed(PRICE_AGAIN, 75, 80)),
                        Outcome.hitting("Pricing|" + PRICE)),
                Arguments.of("window: the last 30 seconds; a message without times never fires",
                        conditioned(WINDOW.formatted("end", "seconds", 30)),
                        messages(timed(PRICE, 0, 10), message(PRICE_AGAIN), timed(PRICE_THIRD, 60, 70)),
                        Outcome.hitting("Pricing|" + PRICE_THIRD)),
                Arguments.of("exclude: a sentence with an excluded phrase is no hit",
                        conditioned("\"exclude\":[\"never asked\"]"),
                        messages(message(PRICE), message(NEGATED)), Outcome.hitting("Pricing|" + PRICE)),
                Arguments.of("bad tracker conditions are refused naming each field",
                        "\"trackers\":[{\"name\":\"Pricing\",\"vocabulary\":" + PRICING_PHRASES
                                + ",\"speaker\":\"boss\",\"window\":{\"anchor\":\"middle\",\"seconds\":2.5},"
                                + "\"exclude\":[\"what?\"]}]",
                        messages(message(PRICE)), Outcome.refused("trackers[0].speaker", "trackers[0].window.anchor",
                                "trackers[0].window.seconds", "trackers[0].exclude[0]")),
                Arguments.of("an id given with a condition (the condition was dropped without a word)",
                        "\"trackers\":[{\"id\":\"$PRICING\",\"speaker\":\"agent\"}]", MESSAGES,
                        Outcome.refused("trackers[0].id")),
                Arguments.of("an id given with a name and phrases (the id was dropped without a word)",
                        "\"trackers\":[{\"id\":\"$PRICING\",\"name\":\"Pricing\",\"vocabulary\":"
                                + PRICING_PHRASES + "}]", MESSAGES, Outcome.refused("trackers[0].id")),
                Arguments.of("a role other than agent or customer", "", messages(said("caller", PRICE)),
                        Outcome.refused("messages[0].from.role")),
                Arguments.of("speakerRoles naming a role other than agent or customer",
                        "\"speakerRoles\":{\"Bob\":\"manager\"}", messages(message(PRICE)),
                        Outcome.refused("speakerRoles.Bob")));
    }

    private static final String PRICE_AGAIN = "And how much does it cost per year?";
    private static final String PRICE_THIRD = "Tell me how much does it cost for two users.";
    private static final String NEGATED = "I never asked how much does it cost.";
    private static final String PRICING_PHRASES = "[\"how much does it cost\",\"the price\",\"pricing plans\","
            + "\"what does it cost\",\"is it expensive\"]";
    private static final String WINDOW = "\"window\":{\"anchor\":\"%s\",\"%s\":%d}";

    /** An inline Pricing tracker with these condition members, as the only tracker. */
    private static String conditioned(String conditions) {
        return "\"trackers\":[{\"name\":\"Pricing\",\"vocabulary\":" + PRICING_PHRASES + "," + conditions + "}]";
    }

    private static String said(String role, String text) {
        return "{\"payload\":{\"content\":\"" + text + "\"},\"from\":{\"name\":\"Ann\""
                + (role == null ? "" : ",\"role\":\"" + role + "\"") + "}}";
    }

    private static String byName(String name, String text) {
        return "{\"payload\":{\"content\":\"" + text + "\"},\"from\":{\"name\":\"" + name + "\"}}";
    }

    /** A message spoken from second {@code from} to second {@code to} of the call. */
    private static String timed(String text, int from, int to) {
        java.time.Instant start = java.time.Instant.parse("2026-01-01T10:00:00Z");
        return "{\"payload\":{\"content\":\"" + text + "\"},\"duration\":{\"startTime\":\""
                + start.plusSeconds(from) + "\",\"endTime\":\"" + start.plusSeconds(to) + "\"}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSameRequestHasTheSameOutcomeThroughMatchJobAndStream(String description, String selection,
            String messages, Outcome expected) {
        String trackers = selection.replace("$PRICING", pricingId);

        Outcome matched = match(trackers, messages);
        Outcome processed = job(trackers, messages);
        Outcome streamed = stream(trackers, messages);

        assertThat(matched.stated()).as("POST /v1/match").isEqualTo(expected);
        assertThat(processed.stated()).as("POST /v1/process/text").isEqualTo(expected);
        assertThat(streamed.stated()).as("streaming").isEqualTo(expected);
    }

    /**
     * A live stream sends each message as it is said, one message_request at a time, and decides it before it knows
     * the messages after it: those must not change the outcome either (a wire audit: a message sent first but timed
     * after a later one was in a stream's first 30 seconds, and not in those of /v1/match or a job).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedCases")
    void aStreamSendingOneMessageAtATimeHasTheSameHits(String description, String selection, String messages,
            Outcome expected) {
        assertThat(stream(selection.replace("$PRICING", pricingId), messages, true).stated()).isEqualTo(expected);
    }

    static Stream<Arguments> acceptedCases() {
        return cases().filter(arguments -> ((Outcome) arguments.get()[3]).refusedFields().isEmpty());
    }

    /**
     * Two cancellation requests, then a question that alone is about the price (cosine 0.76 to a pricing phrase, and
     * the classifier sure of it) and inside its message about the cancellation (the classifier chooses that).
     */
    private static final String CANCEL_THEN_HOW_MUCH =
            "Please stop the service and cancel my subscription. Is there a charge for that?";
    /** The same requests, then a question much closer to a pricing phrase (0.84). */
    private static final String CANCEL_THEN_WHAT_COST =
            "Please stop the service and cancel my subscription. What would that cost?";

    @Test
    void aSentenceIsReadInItsWholeMessageThroughMatchJobAndStream() {
        String trackers = "\"trackers\":[{\"id\":\"" + pricingId + "\"}," + INLINE + "]";
        // alone, the question fires Pricing
        assertThat(names(match(trackers, messages(message("Is there a charge for that?"))))).containsOnly("Pricing");
        // after two cancellation requests the classifier reads it as part of the cancellation: a job and a stream,
        // which store the message as sentences and detect each one apart, still read the question inside its message
        // and agree with /v1/match
        String oneTopic = messages(message(CANCEL_THEN_HOW_MUCH));
        assertThat(names(match(trackers, oneTopic))).as("POST /v1/match").containsOnly("Cancellation");
        assertThat(names(job(trackers, oneTopic))).as("POST /v1/process/text").containsOnly("Cancellation");
        assertThat(names(stream(trackers, oneTopic))).as("streaming").containsOnly("Cancellation");
        // a message about two topics still fires both
        String twoTopics = messages(message(CANCEL_THEN_WHAT_COST));
        assertThat(names(match(trackers, twoTopics))).as("POST /v1/match").containsOnly("Cancellation", "Pricing");
        assertThat(names(job(trackers, twoTopics))).as("POST /v1/process/text")
                .containsOnly("Cancellation", "Pricing");
        assertThat(names(stream(trackers, twoTopics))).as("streaming").containsOnly("Cancellation", "Pricing");
    }

    @Test
    void aSentenceAboutTwoThingsFiresBothThroughMatchJobAndStream() {
        String trackers = "\"trackers\":[{\"id\":\"" + pricingId + "\"}," + INLINE + "]";
        // one sentence each, a cancellation in one clause and a question of price in the other: read whole, each
        // sentence went to Cancellation alone; read clause by clause, each clause fires its own tracker
        String messages = messages(message("We want to terminate the whole plan, but what would it cost us?"),
                message("We would like to close the account next month, unless you can give us a better price."));
        Outcome matched = match(trackers, messages);
        assertThat(names(matched)).as("POST /v1/match").containsOnly("Cancellation", "Pricing");
        assertThat(matched.placed()).as("POST /v1/match")
                .contains("Pricing|what does it cost|but what would it cost us?",
                        "Cancellation|terminate my plan|We want to terminate the whole plan,");
        assertThat(job(trackers, messages).placed()).as("POST /v1/process/text").isEqualTo(matched.placed());
        assertThat(stream(trackers, messages).placed()).as("streaming").isEqualTo(matched.placed());
    }

    private static final String GREETING = """
            {"name":"Greeting","vocabulary":["hi there","hello there","hey how are you","nice to meet you",
             "good to hear from you"]}""";

    @Test
    void aFragmentBeforeAQuestionFiresNothingThroughMatchJobAndStream() {
        String trackers = "\"trackers\":[{\"id\":\"" + pricingId + "\"}," + GREETING + "]";
        // alone, "Hi." fires Greeting: a message of nothing but a fragment is read as it is
        assertThat(names(match(trackers, messages(message("Hi."))))).containsOnly("Greeting");
        // inside a longer message it is a fragment (fewer than 3 letters), dropped: a job and a stream store it as
        // a sentence of its own and must drop it as /v1/match does (before, both fired Greeting on "Hi.")
        String messages = messages(message("Hi. " + PRICE));
        assertThat(names(match(trackers, messages))).as("POST /v1/match").containsOnly("Pricing");
        assertThat(names(job(trackers, messages))).as("POST /v1/process/text").containsOnly("Pricing");
        assertThat(names(stream(trackers, messages))).as("streaming").containsOnly("Pricing");
    }

    /**
     * Each sentence of a message is decided as a job or a stream stores it: "no money left" scores 0.73 on the second
     * sentence and 0.66 on the first, and both are hits. /v1/match reported only the tracker's best sentence (5 hits
     * against the job's 8, with "no money left" at 0.66 alone) until 2026-11-28.
     */
    @Test
    void aMessageOfTwoSentencesHasTheSameHitsAndScoresThroughMatchJobAndStream() {
        String trackers = "\"trackers\":[{\"name\":\"Budget\",\"vocabulary\":[\"no budget\",\"too expensive\","
                + "\"can't afford it\",\"over budget\",\"no money left\"]}]";
        String messages = messages(message("I can't afford it right now. We have no budget left this quarter."));
        Set<String> matched = match(trackers, messages).scored();
        assertThat(matched).as("POST /v1/match")
                .contains("Budget|no budget|1.0|no budget", "Budget|can't afford it|1.0|can't afford it")
                .anyMatch(hit -> hit.startsWith("Budget|no money left|") && hit.endsWith("|I can't afford it right now."))
                .anyMatch(hit -> hit.startsWith("Budget|no money left|")
                        && hit.endsWith("|We have no budget left this quarter."));
        assertThat(job(trackers, messages).scored()).as("POST /v1/process/text").isEqualTo(matched);
        assertThat(stream(trackers, messages).scored()).as("streaming").isEqualTo(matched);
    }

    /** A long sentence that says a phrase in other words in its second eight words. */
    private static final String LONG_CANCEL =
            "We reviewed everything with the team last week and we would like to terminate our plan with you.";

    @Test
    void aPhraseFoundInAWordWindowNamesTheSameWordsThroughMatchJobAndStream() {
        String trackers = "\"trackers\":[{\"id\":\"" + pricingId + "\"}," + INLINE + "]";
        String messages = messages(message("Hi Dana. " + LONG_CANCEL));
        Outcome matched = match(trackers, messages);
        // the closest phrase is found in the window of words 9-16, and the hit names those words
        assertThat(matched.placed()).as("POST /v1/match")
                .contains("Cancellation|terminate my plan|and we would like to terminate our plan");
        assertThat(job(trackers, messages).placed()).as("POST /v1/process/text").isEqualTo(matched.placed());
        assertThat(stream(trackers, messages).placed()).as("streaming").isEqualTo(matched.placed());
    }

    /**
     * A job and a stream keep, for each sentence they store and detect, the vector their detection computed
     * (teaching's suggestions read it instead of embedding the sentence again): the same through both, and the one
     * the model gives the sentence alone.
     */
    @Test
    void aJobAndAStreamKeepTheVectorOfEachSentenceTheyDetect() {
        String trackers = "\"trackers\":[{\"id\":\"" + pricingId + "\"}]";
        List<String> sentences = List.of("Could you tell me what the annual plan costs?",
                "We may stop using the product next quarter, sadly.", "Thanks for your time.");
        String messages = messages(message(sentences.get(0) + " " + sentences.get(1)), message(sentences.get(2)));
        job(trackers, messages);
        stream(trackers, messages);

        for (String sentence : sentences) {
            List<byte[]> stored = jdbc.queryForList("""
                    select v.vector from conversation_message m join message_vector v on v.message_id = m.id
                    where m.text = ? and v.model_id = ?""", byte[].class, sentence, model.id());
            assertThat(stored).as(sentence).hasSize(2);
            float[] alone = model.embed(List.of(sentence))[0];
            for (byte[] vector : stored) {
                assertThat(VectorBytes.decode(vector)).as(sentence).containsExactly(alone, Offset.offset(1e-6f));
            }
        }
    }

    /** The trackers that hit (a job's and a stream's hits name sentences, /v1/match's whole messages). */
    private static Set<String> names(Outcome outcome) {
        assertThat(outcome.refusedFields()).isEmpty();
        Set<String> names = new TreeSet<>();
        outcome.hits().forEach(hit -> names.add(hit.substring(0, hit.indexOf('|'))));
        return names;
    }

    private Outcome match(String trackers, String messages) {
        TestApi.Response response = api.post("/v1/match", body(trackers, messages));
        if (response.status() == 400) {
            return refusal(response.body());
        }
        assertThat(response.status()).as("match: %s", response.body()).isEqualTo(200);
        return hits(response.body());
    }

    private Outcome job(String trackers, String messages) {
        TestApi.Response response = api.post("/v1/process/text", body(trackers, messages));
        if (response.status() == 400) {
            return refusal(response.body());
        }
        assertThat(response.status()).as("job: %s", response.body()).isEqualTo(201);
        String jobId = response.body().get("jobId").asString();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!api.get("/v1/job/" + jobId).body().get("status").asString().equals("completed")) {
            assertThat(System.currentTimeMillis()).as("job %s finishes", jobId).isLessThan(deadline);
            pause();
        }
        return hits(api.get("/v1/conversations/" + response.body().get("conversationId").asString() + "/trackers")
                .body());
    }

    private Outcome stream(String trackers, String messages) {
        return stream(trackers, messages, false);
    }

    /** @param oneByOne each message in a message_request of its own, as a live client sends them */
    private Outcome stream(String trackers, String messages, boolean oneByOne) {
        URI uri = URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + api.token());
        try (TestSocket socket = TestSocket.open(uri, Map.of())) {
            socket.send("{\"type\":\"start_request\"" + (trackers.isEmpty() ? "" : "," + streamingSelection(trackers))
                    + "}");
            JsonNode first = socket.next();
            if (isError(first)) {
                return streamingRefusal(first);
            }
            socket.next(); // conversation_created
            socket.next(); // recognition_started
            List<String> requests = oneByOne
                    ? TestApi.json(messages).valueStream().map(message -> "[" + message + "]").toList()
                    : List.of(messages);
            Set<String> hits = new TreeSet<>();
            Set<String> placed = new TreeSet<>();
            Set<String> scored = new TreeSet<>();
            for (String request : requests) {
                socket.send("{\"type\":\"message_request\",\"messages\":" + request + "}");
                JsonNode reply = socket.next();
                for (; reply.get("type").asString().equals("tracker_response"); reply = socket.next()) {
                    collect(reply, hits, placed, scored); // of the request before
                }
                if (isError(reply)) {
                    return streamingRefusal(reply);
                }
                assertThat(reply.get("type").asString()).isEqualTo("message_response");
            }
            socket.send("{\"type\":\"stop_request\"}");
            for (JsonNode frame = socket.next(); !isCompleted(frame); frame = socket.next()) {
                assertThat(frame.get("type").asString()).as("frame %s", frame).isEqualTo("tracker_response");
                collect(frame, hits, placed, scored);
            }
            return new Outcome(Set.of(), hits, placed, scored);
        }
    }

    private static void collect(JsonNode trackerResponse, Set<String> hits, Set<String> placed,
            Set<String> scored) {
        Outcome answered = hits(trackerResponse.get("trackers"));
        hits.addAll(answered.hits());
        placed.addAll(answered.placed());
        scored.addAll(answered.scored());
    }

    /**
     * In a start_request, enableAllTrackers sits in config.trackers; trackers and speakerRoles at the top, as in the
     * other APIs.
     */
    private static String streamingSelection(String trackers) {
        JsonNode selection = TestApi.json("{" + trackers + "}");
        StringBuilder members = new StringBuilder();
        if (selection.has("trackers")) {
            members.append("\"trackers\":").append(selection.get("trackers"));
        }
        if (selection.has("speakerRoles")) {
            members.append(members.isEmpty() ? "" : ",").append("\"speakerRoles\":").append(selection.get("speakerRoles"));
        }
        if (selection.has("enableAllTrackers")) {
            members.append(members.isEmpty() ? "" : ",").append("\"config\":{\"trackers\":{\"enableAllTrackers\":")
                    .append(selection.get("enableAllTrackers")).append("}}");
        }
        return members.toString();
    }

    private static boolean isError(JsonNode frame) {
        return frame.path("message").path("type").asString("").equals("error");
    }

    private static boolean isCompleted(JsonNode frame) {
        return frame.path("message").path("type").asString("").equals("conversation_completed");
    }

    /** A streaming error names its fields in {@code errors}, as a problem response does. */
    private static Outcome streamingRefusal(JsonNode error) {
        return refusal(error.get("message"));
    }

    private static Outcome refusal(JsonNode problem) {
        Set<String> fields = new TreeSet<>();
        assertThat(problem.has("errors")).as("errors named in %s", problem).isTrue();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asString()));
        return new Outcome(fields, Set.of(), Set.of(), Set.of());
    }

    private static Outcome hits(JsonNode trackers) {
        Set<String> hits = new TreeSet<>();
        Set<String> placed = new TreeSet<>();
        Set<String> scored = new TreeSet<>();
        for (JsonNode tracker : trackers) {
            for (JsonNode match : tracker.get("matches")) {
                for (JsonNode ref : match.get("messageRefs")) {
                    String text = ref.get("text").asString();
                    hits.add(tracker.get("name").asString() + "|" + text);
                    if (ref.has("start") && ref.has("end")) {
                        String words = text.substring(ref.get("start").asInt(), ref.get("end").asInt());
                        placed.add(tracker.get("name").asString() + "|" + match.get("value").asString() + "|" + words);
                        scored.add(tracker.get("name").asString() + "|" + match.get("value").asString() + "|"
                                + ref.get("score").asDouble() + "|" + words);
                    }
                }
            }
        }
        return new Outcome(Set.of(), hits, placed, scored);
    }

    private static String body(String trackers, String messages) {
        return "{\"messages\":" + messages + (trackers.isEmpty() ? "" : "," + trackers) + "}";
    }

    private static String message(String text) {
        return "{\"payload\":{\"content\":\"" + text + "\"},\"from\":{\"userId\":\"u1\",\"name\":\"Ann\"}}";
    }

    private static String messages(String... messages) {
        return "[" + String.join(",", messages) + "]";
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
