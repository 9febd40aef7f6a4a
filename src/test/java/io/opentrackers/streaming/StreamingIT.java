package io.opentrackers.streaming;

import io.opentrackers.TestSocket;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.account.AccountId;
import io.opentrackers.job.LiteralTrackerDetector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Streaming API protocol against the running service, with a literal-phrase detector so hits are exact.
 * The idle timeout is short here so that it can be observed; a retention is set (ten years, so that it deletes
 * nothing here) so that the live streams' marks it relies on are written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"trackers.streaming.idle-timeout=2s", "trackers.conversations.retention=3650d",
                "trackers.streaming.max-connections-per-account=" + StreamingIT.CONNECTIONS_PER_ACCOUNT})
@Import(LiteralMatchingConfiguration.class)
class StreamingIT {

    /** Low, so that a test reaches it; no other test opens more than three connections of one account at once. */
    static final int CONNECTIONS_PER_ACCOUNT = 4;

    private static final String BUDGET = "{\"name\":\"Budget\",\"vocabulary\":[\"out of budget\",\"no budget\",\"budget is gone\",\"cannot afford it\",\"money ran out\"]}";

    private static final String[] PRICING =
            {"what is the price", "how much does it cost", "pricing", "the cost", "a discount"};

    @LocalServerPort
    int port;

    TestApi api;

    @Autowired
    LiteralTrackerDetector detector;

    @Autowired
    StreamConnections connections;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void newAccount() {
        api = TestApi.newAccount("http://localhost:" + port);
    }

    /** A managed tracker created through the Management API; returns its id. */
    private String createTracker(String name, String... vocabulary) {
        String phrases = String.join("\",\"", vocabulary);
        TestApi.Response created = api.post("/v1/manage/trackers",
                "{\"name\":\"" + name + "\",\"vocabulary\":[\"" + phrases + "\"]}");
        assertThat(created.status()).as("create tracker: %s", created.body()).isEqualTo(201);
        return created.body().path("tracker").path("id").asString();
    }

    private URI streaming(String connectionId, String token) {
        return URI.create("ws://localhost:" + port + "/v1/streaming/" + connectionId
                + (token == null ? "" : "?access_token=" + token));
    }

    private URI legacy(String connectionId) {
        return URI.create("ws://localhost:" + port + "/v1/realtime/insights/" + connectionId);
    }

    private TestSocket connect(TestApi account) {
        return TestSocket.open(streaming(UUID.randomUUID().toString(), account.token()), Map.of());
    }

    /** Sends a start_request and returns the conversation id announced by recognition_started. */
    private static String start(TestSocket socket, String startRequest) {
        socket.send(startRequest);
        return started(socket);
    }

    /**
     * Reads started_listening, conversation_created and recognition_started; returns the conversation id, which
     * both of the last two announce (Symbl's Python, Go and Web SDKs read it from conversation_created only).
     */
    private static String started(TestSocket socket) {
        JsonNode listening = socket.next();
        // Symbl's notice, with the warnings of a stream that applies no tracker (an extension) when it has some
        ((ObjectNode) listening.path("message")).remove("warnings");
        assertThat(listening.toString()).isEqualTo("{\"type\":\"message\",\"message\":{\"type\":\"started_listening\"}}");
        JsonNode created = socket.next();
        assertThat(created.path("type").asString()).isEqualTo("message");
        assertThat(created.path("message").path("type").asString()).isEqualTo("conversation_created");
        JsonNode started = socket.next();
        assertThat(started.path("type").asString()).isEqualTo("message");
        assertThat(started.path("message").path("type").asString()).isEqualTo("recognition_started");
        String conversationId = started.path("message").path("data").path("conversationId").asString();
        assertThat(conversationId).isNotBlank();
        assertThat(created.path("message").path("data").path("conversationId").asString()).isEqualTo(conversationId);
        return conversationId;
    }

    private static String message(String text, boolean isFinal, String fromUserId) {
        String from = fromUserId == null ? "" : ",\"from\":{\"userId\":\"" + fromUserId + "\",\"name\":\"" + fromUserId + "\"}";
        return "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"" + text + "\",\"contentType\":\"text/plain\"}"
                + from + ",\"isFinal\":" + isFinal + "}]}";
    }

    private static JsonNode error(TestSocket socket) {
        JsonNode frame = socket.next();
        assertThat(frame.path("type").asString()).isEqualTo("message");
        assertThat(frame.path("message").path("type").asString()).isEqualTo("error");
        return frame.path("message").path("details");
    }

    @Test
    void framesLargerThanTheContainersBufferAreAssembledAndOversizedOnesRefusedWithoutClosing() {
        try (TestSocket socket = connect(api)) {
            // 300 inline trackers: a start_request of about 35,000 characters, handed over in parts
            List<String> trackers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                trackers.add(BUDGET.replace("\"Budget\"", "\"Budget " + i + "\""));
            }
            String bigStart = "{\"type\":\"start_request\",\"trackers\":[" + String.join(",", trackers) + "]}";
            assertThat(bigStart.length()).isGreaterThan(2 * StreamingConfiguration.FRAME_PART_SIZE);
            start(socket, bigStart);
            socket.send(message("we have no budget", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(socket.next().path("trackers")).hasSize(300);

            String tooLarge = message("x".repeat(1024 * 1024 + 1), true, null);
            socket.send(tooLarge);
            assertThat(error(socket).asString()).contains("larger than 1024 KB").contains("max-frame-size");
            socket.send(message("still no budget", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(socket.next().path("type").asString()).isEqualTo("tracker_response");
        }
    }

    @Test
    void streamsTrackerHitsAndStoresThemAsTheConversationsTrackers() {
        try (TestSocket socket = connect(api)) {
            String conversationId = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],"
                    + "\"config\":{\"trackers\":{\"interimResults\":false}},\"speaker\":{\"userId\":\"ann@example.com\",\"name\":\"Ann\"}}");

            socket.send(message("Honestly we are OUT OF BUDGET for this.", true, null));
            JsonNode response = socket.next();
            assertThat(response.path("type").asString()).isEqualTo("message_response");
            JsonNode stored = response.path("messages").get(0);
            assertThat(stored.path("payload").path("content").asString()).isEqualTo("Honestly we are OUT OF BUDGET for this.");
            assertThat(stored.path("from").path("name").asString()).isEqualTo("Ann");
            String messageId = stored.path("id").asString();

            JsonNode trackers = socket.next();
            assertThat(trackers.path("type").asString()).isEqualTo("tracker_response");
            assertThat(trackers.path("isFinal").asBoolean()).isTrue();
            assertThat(trackers.path("sequenceNumber").asInt()).isZero();
            JsonNode tracker = trackers.path("trackers").get(0);
            assertThat(tracker.path("name").asString()).isEqualTo("Budget");
            JsonNode match = tracker.path("matches").get(0);
            assertThat(match.path("type").asString()).isEqualTo("vocabulary");
            assertThat(match.path("value").asString()).isEqualTo("out of budget");
            JsonNode ref = match.path("messageRefs").get(0);
            assertThat(ref.path("id").asString()).isEqualTo(messageId);
            assertThat(ref.path("offset").asInt()).isEqualTo(16);
            assertThat(ref.path("start").asInt()).isEqualTo(16);
            assertThat(ref.path("end").asInt()).isEqualTo(29);
            assertThat(ref.path("score").asDouble()).isEqualTo(1.0);

            socket.send(message("There is no budget.", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            JsonNode second = socket.next();
            assertThat(second.path("sequenceNumber").asInt()).isEqualTo(1);

            socket.send("{\"type\":\"stop_request\"}");
            JsonNode completed = socket.next();
            assertThat(completed.toString()).isEqualTo("{\"type\":\"message\",\"message\":{\"type\":\"conversation_completed\","
                    + "\"conversationId\":\"" + conversationId + "\"}}");

            TestApi.Response storedTrackers = api.get("/v1/conversations/" + conversationId + "/trackers");
            assertThat(storedTrackers.status()).isEqualTo(200);
            assertThat(storedTrackers.body()).isEqualTo(merge(List.of(trackers, second)));
            TestApi.Response messages = api.get("/v1/conversations/" + conversationId + "/messages");
            assertThat(messages.body().path("messages")).hasSize(2);
        }
    }

    /**
     * The start request names the agent once, with her role; her messages then carry their own {@code from}, as
     * Symbl's SDKs send them. They keep her role (her {@code speaker: agent} trackers fire on them), by her userId or
     * her name; other speakers get none, or the one {@code speakerRoles} gives them.
     */
    @Test
    void messagesFromTheStartRequestsSpeakerKeepItsRole() {
        try (TestSocket socket = connect(api)) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],"
                    + "\"speaker\":{\"userId\":\"ann@example.com\",\"name\":\"Ann\",\"role\":\"agent\"},"
                    + "\"speakerRoles\":{\"Ann Lee\":\"customer\"}}");
            assertThat(rolesOf(socket, ",\"from\":{\"userId\":\"ann@example.com\",\"name\":\"ann\"}",
                    ",\"from\":{\"name\":\"Ann\"}", ",\"from\":{\"userId\":\"bob@example.com\",\"name\":\"Bob\"}",
                    ",\"from\":{\"name\":\"Ann Lee\"}"))
                    .containsExactly("agent", "agent", "none", "customer");
        }
    }

    /**
     * A speaker named Agent or Customer takes that role, as in a job: the start request's default speaker named
     * "Agent" without a role, and a message's own {@code from} named "customer"; a role given always wins.
     */
    @Test
    void aSpeakerNamedAgentOrCustomerHasThatRole() {
        try (TestSocket socket = connect(api)) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],"
                    + "\"speaker\":{\"name\":\"Agent\"}}");
            assertThat(rolesOf(socket, "", ",\"from\":{\"name\":\"customer\"}",
                    ",\"from\":{\"name\":\"Agent\",\"role\":\"customer\"}", ",\"from\":{\"name\":\"Bob\"}"))
                    .containsExactly("agent", "customer", "customer", "none");
        }
    }

    /** Sends one message per {@code from} member given (or none: ""), and reads the role each was stored with. */
    private static List<String> rolesOf(TestSocket socket, String... fromMembers) {
        List<String> roles = new ArrayList<>();
        for (String from : fromMembers) {
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"I will call you "
                    + "back tomorrow.\"}" + from + "}]}");
            JsonNode response = socket.next();
            assertThat(response.path("type").asString()).isEqualTo("message_response");
            roles.add(response.path("messages").get(0).path("from").path("role").asString("none"));
        }
        return roles;
    }

    @Test
    void aMessageOfSeveralSentencesGetsOneTrackerResponseWithItsSentencesInOrder() {
        try (TestSocket socket = connect(api)) {
            String conversationId = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");

            // The sentences are detected separately (possibly on different workers); the client still gets one
            // tracker_response for the message, with the sentences' refs in the order they were said.
            socket.send(message("We are out of budget. The weather is nice. Sadly we are out of budget again. "
                    + "See you. Still out of budget.", true, null));
            JsonNode response = socket.next();
            assertThat(response.path("type").asString()).isEqualTo("message_response");
            List<String> sentenceIds = new ArrayList<>();
            response.path("messages").forEach(sentence -> sentenceIds.add(sentence.path("id").asString()));
            assertThat(sentenceIds).hasSize(5);

            JsonNode trackers = socket.next();
            assertThat(trackers.path("type").asString()).isEqualTo("tracker_response");
            JsonNode match = trackers.path("trackers").get(0).path("matches").get(0);
            assertThat(match.path("value").asString()).isEqualTo("out of budget");
            List<String> refIds = new ArrayList<>();
            match.path("messageRefs").forEach(ref -> refIds.add(ref.path("id").asString()));
            assertThat(refIds).containsExactly(sentenceIds.get(0), sentenceIds.get(2), sentenceIds.get(4));

            socket.send("{\"type\":\"stop_request\"}");
            assertThat(socket.next().path("message").path("type").asString()).isEqualTo("conversation_completed");
            TestApi.Response storedTrackers = api.get("/v1/conversations/" + conversationId + "/trackers");
            assertThat(storedTrackers.body()).isEqualTo(merge(List.of(trackers)));
        }
    }

    /** The final tracker_responses merged the way the Conversation API groups hits (tracker → phrase → refs). */
    private static JsonNode merge(List<JsonNode> responses) {
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        for (JsonNode response : responses) {
            for (JsonNode tracker : response.path("trackers")) {
                JsonNode existing = find(merged, "id", tracker.path("id").asString());
                if (existing == null) {
                    merged.add(tracker.deepCopy());
                    continue;
                }
                for (JsonNode match : tracker.path("matches")) {
                    JsonNode same = find(existing.path("matches"), "value", match.path("value").asString());
                    if (same == null) {
                        ((ArrayNode) existing.path("matches")).add(match.deepCopy());
                    } else {
                        match.path("messageRefs").forEach(ref -> ((ArrayNode) same.path("messageRefs")).add(ref.deepCopy()));
                    }
                }
            }
        }
        return merged;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asString().equals(value)) {
                return item;
            }
        }
        return null;
    }

    @Test
    void legacyEndpointTakesTheTokenFromXApiKeyAndResolvesManagedTrackersById() {
        String trackerId = createTracker("Pricing", PRICING);
        String unused = createTracker("Competitors", PRICING);
        try (TestSocket socket = TestSocket.open(legacy(UUID.randomUUID().toString()), Map.of("X-API-KEY", api.token()))) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[{\"id\":\"" + trackerId + "\"}]}");
            socket.send(message("So what is the price?", true, "bob"));
            assertThat(socket.next().path("messages").get(0).path("from").path("userId").asString()).isEqualTo("bob");
            JsonNode trackers = socket.next().path("trackers");
            // Only the referenced tracker: naming trackers without enableAllTrackers does not add the others.
            assertThat(trackers).hasSize(1);
            assertThat(trackers.get(0).path("id").asString()).isEqualTo(trackerId).isNotEqualTo(unused);
        }
    }

    /**
     * A stream that applies no tracker ({@code "trackers": []}, {@code enableAllTrackers: false} alone, or an account
     * without trackers and nothing chosen) stored its messages and never reported a hit, and nothing told the client
     * why. Its started_listening says so in {@code warnings}, in a job's words; a stream with trackers gets Symbl's
     * notice as it was.
     */
    @Test
    void aStreamThatAppliesNoTrackerIsToldWhyWhenItStarts() {
        try (TestSocket socket = connect(api)) {
            for (String start : List.of("{\"type\":\"start_request\"}", "{\"type\":\"start_request\",\"trackers\":[]}")) {
                socket.send(start);
                JsonNode listening = socket.next().path("message");
                assertThat(listening.path("type").asString()).as(start).isEqualTo("started_listening");
                assertThat(listening.path("warnings")).as(start).hasSize(1);
                String warning = listening.path("warnings").get(0).asString();
                assertThat(warning).as(start).isEqualTo(StreamService.NO_TRACKERS)
                        .startsWith("no tracker applied to this stream, so no message could match one: ")
                        .contains("\"trackers\": []", "config.trackers.enableAllTrackers", "POST /v1/manage/trackers");
                assertThat(socket.next().at("/message/type").asString()).isEqualTo("conversation_created");
                assertThat(socket.next().at("/message/type").asString()).isEqualTo("recognition_started");
                socket.send(message("no budget", true, null));
                assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
                socket.send("{\"type\":\"stop_request\"}");
                assertThat(socket.next().at("/message/type").asString()).as("no tracker_response")
                        .isEqualTo("conversation_completed");
            }

            createTracker("Pricing", PRICING);
            socket.send("{\"type\":\"start_request\",\"config\":{\"trackers\":{\"enableAllTrackers\":false}}}");
            assertThat(socket.next().at("/message/warnings/0").asString()).isEqualTo(StreamService.NO_TRACKERS);
            socket.next();
            socket.next();
            socket.send("{\"type\":\"stop_request\"}");
            socket.next();

            socket.send("{\"type\":\"start_request\"}");
            assertThat(socket.next().toString()).as("the account's tracker applies: Symbl's notice, no warnings")
                    .isEqualTo("{\"type\":\"message\",\"message\":{\"type\":\"started_listening\"}}");
        }
    }

    @Test
    void withoutTrackersAllAccountTrackersApplyAndEnableAllTrackersFalseTurnsThemOff() {
        String trackerId = createTracker("Pricing", PRICING);
        try (TestSocket socket = connect(api)) {
            start(socket, "{\"type\":\"start_request\"}");
            socket.send(message("what is the price", true, null));
            socket.next();
            assertThat(socket.next().path("trackers").get(0).path("id").asString()).isEqualTo(trackerId);
            socket.send("{\"type\":\"stop_request\"}");
            socket.next();

            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],"
                    + "\"config\":{\"trackers\":{\"enableAllTrackers\":false}}}");
            socket.send(message("what is the price", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(socket.none(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void upgradeWithoutAValidTokenIsRefusedWith401OnBothEndpoints() {
        String id = UUID.randomUUID().toString();
        assertThat(TestSocket.refusedStatus(streaming(id, null), Map.of())).isEqualTo(401);
        assertThat(TestSocket.refusedStatus(streaming(id, "not-a-token"), Map.of())).isEqualTo(401);
        assertThat(TestSocket.refusedStatus(legacy(id), Map.of())).isEqualTo(401);
        assertThat(TestSocket.refusedStatus(legacy(id), Map.of("X-API-KEY", api.token() + "x"))).isEqualTo(401);
        // one token, sent two ways at once: refused as streaming.md says (RFC 6750 allows one method per request)
        assertThat(TestSocket.refusedStatus(streaming(id, api.token()), Map.of("Authorization", "Bearer " + api.token())))
                .isEqualTo(401);
        // ... and the problem says so, rather than asking for a valid token (a streaming audit)
        assertThat(rawUpgrade("/v1/streaming/" + id + "?access_token=" + api.token(), "Bearer " + api.token()))
                .startsWith("HTTP/1.1 401").contains("application/problem+json")
                .contains("The request carries the access token twice");
    }

    /**
     * A WebSocket upgrade request written by hand (the JDK's clients refuse two tokens, and keep no body of a refused
     * upgrade); the answer as text. No {@code Authorization} header when {@code authorization} is null.
     */
    private String rawUpgrade(String target, String authorization) {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            // the whole answer: its head and body may come in separate reads
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int read; !complete(answer.toString(java.nio.charset.StandardCharsets.UTF_8))
                    && (read = socket.getInputStream().read(buffer)) > 0; ) {
                answer.write(buffer, 0, read);
            }
            return answer.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether an HTTP answer read so far is whole: its head, and its body by length or its last chunk. */
    private static boolean complete(String answer) {
        int head = answer.indexOf("\r\n\r\n");
        if (head < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
                .matcher(answer.substring(0, head));
        if (length.find()) {
            return answer.length() - head - 4 >= Integer.parseInt(length.group(1));
        }
        return !answer.substring(0, head).toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")
                || answer.endsWith("\r\n0\r\n\r\n");
    }

    /**
     * The connection id left out ({@code /v1/streaming?access_token=…}, or an id variable that was empty): the
     * handshake was refused with 401 "A valid access token is required" although the token was valid (a token in the
     * URL is read on the streaming paths only), or with a 404 "No endpoint"; it is told the id is missing.
     */
    @Test
    void aHandshakeWithoutAConnectionIdIsToldTheIdIsMissingNotThatItsTokenIsBad() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/v1/streaming", "/v1/streaming/", "/v1/realtime/insights",
                "/v1/realtime/insights/")) {
            String expected = "The connection id is missing from the path: open " + path.replaceAll("/$", "")
                    + "/{connectionId}";
            for (String upgrade : List.of(rawUpgrade(path + "?access_token=" + api.token(), null),
                    rawUpgrade(path, "Bearer " + api.token()))) {
                assertThat(upgrade).as(path).startsWith("HTTP/1.1 404");
                JsonNode problem = TestApi.json(upgrade.substring(upgrade.indexOf('{'), upgrade.lastIndexOf('}') + 1));
                assertThat(problem.path("type").asString()).isEqualTo("https://opentrackers.io/problems/not-found");
                assertThat(problem.path("detail").asString()).as(path).startsWith(expected);
            }
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).as(path).isEqualTo(404);
            assertThat(TestApi.json(plain.body()).path("detail").asString()).as(path).startsWith(expected);
        }
        // without a token, the token is what it is told about first
        assertThat(rawUpgrade("/v1/streaming", null)).startsWith("HTTP/1.1 401");
    }

    /**
     * A connection id had no limit of its own: only the web server's header size bounded it (a 3,000-character id
     * was taken, and kept for the connection's life in memory and in every log line about it). Up to
     * {@link StreamingConfiguration#MAX_CONNECTION_ID} characters are taken; a longer one is refused on the
     * handshake with a 400 problem naming {@code connectionId}, on both paths, before the account's connections are
     * counted.
     */
    @Test
    void aConnectionIdLongerThanItsLimitIsRefusedOnTheHandshake() {
        String longest = "c".repeat(StreamingConfiguration.MAX_CONNECTION_ID);
        try (TestSocket socket = TestSocket.open(streaming(longest, api.token()), Map.of())) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
        }
        for (String id : List.of(longest + "c", "c".repeat(3000))) {
            for (String path : List.of("/v1/streaming/", "/v1/realtime/insights/")) {
                String upgrade = rawUpgrade(path + id + "?access_token=" + api.token(), null);
                assertThat(upgrade).as(path).startsWith("HTTP/1.1 400");
                JsonNode problem = TestApi.json(upgrade.substring(upgrade.indexOf('{'), upgrade.lastIndexOf('}') + 1));
                assertThat(problem.path("type").asString()).isEqualTo("https://opentrackers.io/problems/invalid-request");
                assertThat(problem.path("detail").asString()).isEqualTo("The connection id is " + id.length()
                        + " characters long, at most 256 are accepted: choose a shorter one (a UUID is a good choice); "
                        + "the protocol is in docs/streaming.md");
                assertThat(problem.at("/errors/0/field").asString()).isEqualTo("connectionId");
                assertThat(problem.at("/errors/0/message").asString()).isEqualTo("at most 256 characters");
            }
        }
        // without a token, the token is what it is told about first
        assertThat(rawUpgrade("/v1/streaming/" + "c".repeat(3000), null)).startsWith("HTTP/1.1 401");
    }

    /**
     * The id is written in every log line about the connection: a control character in it (an escape, which a
     * terminal reading the log obeys) was taken; the firewall refuses only line breaks.
     */
    @Test
    void aConnectionIdWithAControlCharacterIsRefusedOnTheHandshake() {
        for (String encoded : List.of("%1B", "%01", "%09", "%7F")) {
            for (String path : List.of("/v1/streaming/", "/v1/realtime/insights/")) {
                String upgrade = rawUpgrade(path + "abc" + encoded + "def?access_token=" + api.token(), null);
                assertThat(upgrade).as(path + encoded).startsWith("HTTP/1.1 400");
                JsonNode problem = TestApi.json(upgrade.substring(upgrade.indexOf('{'), upgrade.lastIndexOf('}') + 1));
                assertThat(problem.path("detail").asString()).as(encoded)
                        .startsWith("The connection id holds the control character U+00" + encoded.substring(1) + ":");
                assertThat(problem.at("/errors/0/field").asString()).isEqualTo("connectionId");
            }
        }
        try (TestSocket socket = TestSocket.open(streaming("call-42_a.b~c", api.token()), Map.of())) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
        }
    }

    @Test
    void plainHttpRequestsToTheStreamingPathsAreAnsweredWithAProblem() {
        for (String path : List.of("/v1/streaming/my-connection", "/v1/realtime/insights/my-connection")) {
            TestApi.Response get = api.get(path);
            assertThat(get.status()).as(path).isEqualTo(400);
            assertThat(get.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(get.body().path("type").asString()).isEqualTo("https://opentrackers.io/problems/invalid-request");
            assertThat(get.body().path("detail").asString()).startsWith("This is a WebSocket endpoint");
            assertThat(get.body().path("instance").asString()).isEqualTo(path);

            TestApi.Response post = api.post(path, "{}");
            assertThat(post.status()).as(path).isEqualTo(405);
            assertThat(post.headers().getAllow()).contains(HttpMethod.GET);
            assertThat(post.body().path("type").asString())
                    .isEqualTo("https://opentrackers.io/problems/method-not-allowed");
        }
    }

    /**
     * The documented URL, {@code ?access_token=} and all, opened in a browser or with curl: it opens nothing, so it is
     * told what the path is, not that a token is required (its token is read on handshakes only, and it was valid).
     */
    @Test
    void aPlainRequestWithTheTokenInTheUrlOrWithoutOneIsToldThePathIsAWebSocketEndpoint() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/v1/streaming/my-connection?access_token=" + api.token(),
                "/v1/streaming/my-connection", "/v1/realtime/insights/my-connection?access_token=" + api.token())) {
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).as(path).isEqualTo(400);
            assertThat(TestApi.json(get.body()).path("detail").asString()).startsWith("This is a WebSocket endpoint");

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(path).isEqualTo(405);
        }
    }

    /** Symbl's Python SDK: {@code StreamingConnection.stop()} sends {@code str({'type': 'stop_request'})}. */
    @Test
    void thePythonSdksStopEndsTheStream() {
        try (TestSocket socket = connect(api)) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            socket.send("{'type': 'stop_request'}");
            assertThat(socket.next().path("message").path("type").asString()).isEqualTo("conversation_completed");
        }
    }

    @Test
    void badFramesAreAnsweredWithAnErrorAndTheConnectionStaysUsable() {
        try (TestSocket socket = connect(api)) {
            socket.send("this is not json");
            assertThat(error(socket).asString()).startsWith("Frame is not valid JSON");
            socket.send("{'type': 'stop_request', 'final': True}"); // a Python repr beyond quotes is no JSON either
            assertThat(error(socket).asString()).startsWith("Frame is not valid JSON");
            socket.send("{\"type\":\"audio_request\"}");
            assertThat(error(socket).asString()).contains("Unknown frame type 'audio_request'")
                    .contains("start_request, message_request or stop_request");
            socket.send("{\"messages\":[]}");
            assertThat(error(socket).asString()).contains("no \"type\"");
            socket.send(message("hello", true, null));
            assertThat(error(socket).asString()).contains("before start_request");
            socket.send("{\"type\":\"stop_request\"}");
            assertThat(error(socket).asString()).contains("no stream is started");
            socket.sendBinary(new byte[3200]);
            assertThat(error(socket).asString()).contains("Audio (binary) frames are not supported");
            socket.send("{\"type\":\"start_request\",\"trackers\":{\"name\":\"x\"}}");
            assertThat(error(socket).asString()).startsWith("Invalid start_request at trackers");

            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\" \"}}]}");
            assertThat(error(socket).asString()).contains("messages[0].payload.content");
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"a\"},"
                    + "\"duration\":{\"startTime\":\"yesterday\"}}]}");
            assertThat(error(socket).asString()).contains("messages[0].duration.startTime");
            // a message of more sentences than one request may hold (trackers.streaming.max-sentences): refused
            // whole, nothing stored, instead of holding every stream's detection (a streaming audit)
            socket.send(message("Ok. ".repeat(1001), true, null));
            assertThat(error(socket).asString()).contains("messages").contains("1001 sentences, at most 1000");
            socket.send(message("no budget", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(socket.next().path("type").asString()).isEqualTo("tracker_response");
        }
    }

    @Test
    void aDetectionFailureIsReportedAndTheStreamGoesOn() {
        try (TestSocket socket = connect(api)) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            socket.send(message("no budget [fail]", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(error(socket).asString()).contains("Tracking failed for 1 message(s)");
            socket.send(message("no budget", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(socket.next().path("sequenceNumber").asInt()).isZero();
        }
    }

    @Test
    void invalidTrackersAreAnErrorNamingTheField() {
        try (TestSocket socket = connect(api)) {
            socket.send("{\"type\":\"start_request\",\"trackers\":[{\"id\":\"nope\"}]}");
            assertThat(error(socket).asString()).contains("trackers[0].id").contains("nope");
            socket.send("{\"type\":\"start_request\",\"trackers\":[{\"name\":\"Tiny\",\"vocabulary\":[\"hi?\"]}]}");
            assertThat(error(socket).asString()).contains("trackers[0].vocabulary");
            socket.send(message("hello", true, null));
            assertThat(error(socket).asString()).as("a refused start starts nothing").contains("before start_request");
        }
    }

    @Test
    void interimTextIsTrackedOnlyWhenAskedAndNeverStored() {
        try (TestSocket socket = connect(api)) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            socket.send(message("we have no budget", false, null));
            assertThat(socket.none(Duration.ofMillis(500))).as("interim text without interimResults").isNull();
            socket.send("{\"type\":\"stop_request\"}");
            socket.next();

            String conversationId = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],"
                    + "\"config\":{\"trackers\":{\"interimResults\":true}}}");
            socket.send(message("we have no budget", false, null));
            JsonNode interim = socket.next();
            assertThat(interim.path("type").asString()).isEqualTo("tracker_response");
            assertThat(interim.path("isFinal").asBoolean()).isFalse();
            assertThat(interim.path("sequenceNumber").asInt()).isZero();
            socket.send(message("we have no budget left", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            JsonNode finalResponse = socket.next();
            assertThat(finalResponse.path("isFinal").asBoolean()).isTrue();
            assertThat(finalResponse.path("sequenceNumber").asInt()).isEqualTo(1);
            socket.send("{\"type\":\"stop_request\"}");
            socket.next();

            JsonNode stored = api.get("/v1/conversations/" + conversationId + "/trackers").body();
            assertThat(stored).isEqualTo(finalResponse.path("trackers"));
            assertThat(api.get("/v1/conversations/" + conversationId + "/messages").body().path("messages")).hasSize(1);
        }
    }

    /**
     * An interim result whose detection is slow still comes before the final result of the message sent after it.
     * The two are detected by different workers; the final one used to be sent as soon as it was ready, so the
     * interim one came after it (an API audit saw sequenceNumber 1, interim, after 0, final), and a UI showing the
     * latest result replaced the final hits with the interim ones.
     */
    @Test
    void anInterimResultNeverComesAfterTheFinalResultOfALaterMessage() {
        try (TestSocket socket = connect(api)) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],"
                    + "\"config\":{\"trackers\":{\"interimResults\":true}}}");
            detector.hold();
            try {
                socket.send(message("[hold] we have no budget", false, null));
                socket.send(message("we have no budget left", true, null));
                assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
                assertThat(socket.none(Duration.ofMillis(500)))
                        .as("the final result waits for the interim one sent before it").isNull();
            } finally {
                detector.release();
            }
            JsonNode interim = socket.next();
            assertThat(interim.path("isFinal").asBoolean()).isFalse();
            assertThat(interim.path("sequenceNumber").asInt()).isZero();
            JsonNode last = socket.next();
            assertThat(last.path("isFinal").asBoolean()).isTrue();
            assertThat(last.path("sequenceNumber").asInt()).isEqualTo(1);
        }
    }

    /**
     * Hits of final messages, and the error of one whose detection failed, come in the order the messages were
     * received, whichever was detected first: an error names no message, so its place is what tells which one failed.
     */
    @Test
    void trackerResponsesAndTrackingErrorsComeInTheOrderTheirMessagesWereReceived() {
        try (TestSocket socket = connect(api)) {
            String conversationId = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            detector.hold();
            String firstId;
            String secondId;
            try {
                socket.send(message("[hold] no budget", true, null));
                socket.send(message("money ran out", true, null));
                socket.send(message("no budget [fail]", true, null));
                firstId = socket.next().path("messages").get(0).path("id").asString();
                secondId = socket.next().path("messages").get(0).path("id").asString();
                assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
                assertThat(socket.none(Duration.ofMillis(500)))
                        .as("the later messages' hits and error wait for the first one's hits").isNull();
            } finally {
                detector.release();
            }
            JsonNode first = socket.next();
            assertThat(ref(first).path("id").asString()).isEqualTo(firstId);
            assertThat(first.path("sequenceNumber").asInt()).isZero();
            JsonNode second = socket.next();
            assertThat(ref(second).path("id").asString()).isEqualTo(secondId);
            assertThat(second.path("sequenceNumber").asInt()).isEqualTo(1);
            assertThat(error(socket).asString()).contains("Tracking failed for 1 message(s)");
            socket.send("{\"type\":\"stop_request\"}");
            assertThat(socket.next().path("message").path("type").asString()).isEqualTo("conversation_completed");
            assertThat(api.get("/v1/conversations/" + conversationId + "/trackers").body())
                    .isEqualTo(merge(List.of(first, second)));
        }
    }

    @Test
    void aStartRightAfterAStopBeginsOnlyOnceTheStoppedStreamHasDeliveredEverything() {
        try (TestSocket socket = connect(api)) {
            String first = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            detector.hold();
            try {
                socket.send(message("[hold] no budget", true, null));
                assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
                socket.send("{\"type\":\"stop_request\"}");
                socket.send("{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
                assertThat(socket.none(Duration.ofMillis(500)))
                        .as("the new stream waits while the stopped one has results to deliver").isNull();
            } finally {
                detector.release();
            }
            // the stopped stream's last hits and its completion come first, then the new stream
            JsonNode late = socket.next();
            assertThat(late.path("type").asString()).isEqualTo("tracker_response");
            assertThat(late.path("sequenceNumber").asInt()).isZero();
            assertThat(socket.next().toString()).isEqualTo("{\"type\":\"message\",\"message\":{\"type\":"
                    + "\"conversation_completed\",\"conversationId\":\"" + first + "\"}}");
            String second = started(socket);
            assertThat(second).isNotEqualTo(first);
            socket.send(message("no budget", true, null));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(socket.next().path("sequenceNumber").asInt()).as("numbered from 0 in the new stream").isZero();
            assertThat(api.get("/v1/conversations/" + first + "/trackers").body()).isEqualTo(late.path("trackers"));
        }
    }

    @Test
    void aMeetingTitleThatCannotBeStoredIsAFieldErrorAndStartsNothing() {
        try (TestSocket socket = connect(api)) {
            socket.send("{\"type\":\"start_request\",\"config\":{\"meetingTitle\":\"" + "x".repeat(257) + "\"}}");
            JsonNode refused = socket.next().path("message");
            assertThat(refused.path("type").asString()).isEqualTo("error");
            assertThat(refused.path("details").asString()).isEqualTo("config.meetingTitle: at most 256 characters");
            assertThat(refused.path("errors").get(0).path("field").asString()).isEqualTo("config.meetingTitle");
            socket.send("{\"type\":\"start_request\",\"config\":{\"meetingTitle\":\"a\\u0000b\"}}");
            assertThat(error(socket).asString()).startsWith("config.meetingTitle: ").contains("NUL");
            socket.send(message("hello", true, null));
            assertThat(error(socket).asString()).as("a refused start starts nothing").contains("before start_request");

            String conversationId = start(socket, "{\"type\":\"start_request\",\"config\":{\"meetingTitle\":\""
                    + "x".repeat(256) + "\"}}");
            assertThat(api.get("/v1/conversations/" + conversationId).body().path("name").asString())
                    .isEqualTo("x".repeat(256));
        }
    }

    /**
     * A frame member that is a typo of one the frame reads ({@code "speakerroles"}, {@code "from": {"userid"}}) was
     * dropped as unknown, so the stream ran without it; it is an error naming the member and the one meant, and the
     * frame is not carried out. What Symbl's SDK sends besides (insightTypes, speechRecognition …) is still ignored.
     */
    @Test
    void aMisspeltFrameMemberIsAFieldErrorNamingTheOneMeant() {
        try (TestSocket socket = connect(api)) {
            socket.send("{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],"
                    + "\"speakerroles\":{\"ann\":\"agent\"}}");
            JsonNode refused = socket.next().path("message");
            assertThat(refused.path("type").asString()).isEqualTo("error");
            assertThat(refused.path("details").asString()).isEqualTo("Invalid start_request at speakerroles: is not "
                    + "a known field; did you mean speakerRoles?");
            assertThat(refused.path("errors").get(0).path("field").asString()).isEqualTo("speakerroles");
            socket.send(message("no budget", true, null));
            assertThat(error(socket).asString()).as("a refused start starts nothing").contains("before start_request");

            String conversationId = start(socket, "{\"type\":\"start_request\",\"insightTypes\":[\"question\"],"
                    + "\"customVocabulary\":[\"Acme\"],\"config\":{\"confidenceThreshold\":0.5,"
                    + "\"languageCode\":\"en-US\",\"speechRecognition\":{\"encoding\":\"LINEAR16\","
                    + "\"sampleRateHertz\":16000},\"trackers\":{\"interimResults\":false}},"
                    + "\"speaker\":{\"userId\":\"ann\",\"name\":\"Ann\"},\"trackers\":[" + BUDGET + "]}");
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"no budget\"}},"
                    + "{\"payload\":{\"content\":\"no budget\"},\"from\":{\"userid\":\"bob\"}}]}");
            JsonNode typo = socket.next().path("message");
            assertThat(typo.path("type").asString()).isEqualTo("error");
            assertThat(typo.path("errors").get(0).path("field").asString()).isEqualTo("messages[1].from.userid");
            assertThat(typo.path("details").asString()).endsWith("did you mean userId?");
            assertThat(jdbc.sql("select count(*) from conversation_message where conversation_id = ?")
                    .param(conversationId).query(Integer.class).single()).as("nothing of the frame is stored").isZero();
        }
    }

    /**
     * A frame whose {@code type} is in a member that misspells it ({@code "Type"}, as a client that capitalises its
     * members sends it) was told {@code Frame has no "type" string} while a "type" seemed to be there: the member is
     * named with the one meant, and so is a misspelt frame type ({@code "startRequest"}). Neither starts anything.
     */
    @Test
    void aMisspeltTypeMemberOrFrameTypeIsNamedWithTheOneMeant() {
        try (TestSocket socket = connect(api)) {
            for (String member : List.of("Type", "TYPE", "tpye", "types")) {
                socket.send("{\"" + member + "\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
                JsonNode refused = socket.next().path("message");
                assertThat(refused.path("type").asString()).isEqualTo("error");
                assertThat(refused.path("details").asString()).as(member).isEqualTo("Frame has no \"type\" string ("
                        + member + ": is not a known field; did you mean type?); expected start_request, "
                        + "message_request or stop_request");
                assertThat(refused.path("errors")).hasSize(1);
                assertThat(refused.at("/errors/0/field").asString()).isEqualTo(member);
            }
            socket.send("{\"type\":\"startRequest\",\"trackers\":[" + BUDGET + "]}");
            JsonNode refused = socket.next().path("message");
            assertThat(refused.path("details").asString()).isEqualTo("Unknown frame type 'startRequest'; did you mean "
                    + "start_request? expected start_request, message_request or stop_request");
            assertThat(refused.at("/errors/0/field").asString()).isEqualTo("type");
            assertThat(refused.at("/errors/0/message").asString()).isEqualTo("is not a frame type; did you mean "
                    + "start_request?");
            socket.send("{\"messages\":[]}");
            assertThat(socket.next().path("message").path("details").asString()).as("no member resembles type")
                    .isEqualTo("Frame has no \"type\" string; expected start_request, message_request or stop_request");
            socket.send(message("no budget", true, null));
            assertThat(error(socket).asString()).as("nothing was started").contains("before start_request");
        }
    }

    /**
     * A tracker setting put where a start request does not read it (at its top level, where a job's body takes
     * {@code enableAllTrackers}, or in {@code config}) was ignored as unknown: the stream ran with other trackers, or
     * without interim results, than asked for, and nothing said so. It is an error naming the member and where it
     * goes, with any misspelt member of the same frame, and nothing is started. {@code config.interimResults}, Symbl's
     * speech recognition setting, is still ignored, as are the SDK's other members.
     */
    @Test
    void aTrackerSettingOutsideConfigTrackersIsAFieldErrorNamingWhereItGoes() {
        try (TestSocket socket = connect(api)) {
            socket.send("{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],\"enableAllTrackers\":true}");
            JsonNode refused = socket.next().path("message");
            assertThat(refused.path("type").asString()).isEqualTo("error");
            assertThat(refused.path("details").asString()).isEqualTo("Invalid start_request at enableAllTrackers: is "
                    + "not read here; did you mean config.trackers.enableAllTrackers?");
            assertThat(refused.path("errors").get(0).path("field").asString()).isEqualTo("enableAllTrackers");
            socket.send(message("no budget", true, null));
            assertThat(error(socket).asString()).as("a refused start starts nothing").contains("before start_request");

            socket.send("{\"type\":\"start_request\",\"interimResults\":true,\"speakerroles\":{\"ann\":\"agent\"},"
                    + "\"config\":{\"enableAllTrackers\":false}}");
            JsonNode all = socket.next().path("message");
            assertThat(all.path("details").asString()).isEqualTo("Invalid start_request: interimResults: is not read "
                    + "here; did you mean config.trackers.interimResults?; config.enableAllTrackers: is not read here; "
                    + "did you mean config.trackers.enableAllTrackers?; speakerroles: is not a known field; did you "
                    + "mean speakerRoles?");
            List<String> fields = new ArrayList<>();
            all.path("errors").forEach(error -> fields.add(error.path("field").asString()));
            assertThat(fields).containsExactly("interimResults", "config.enableAllTrackers", "speakerroles");

            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],\"config\":{\"interimResults\":"
                    + "true,\"speechRecognition\":{\"sampleRateHertz\":16000},\"trackers\":{\"interimResults\":true}}}");
        }
    }

    /**
     * The switches of config.trackers are JSON booleans: "yes", 1 or "true" is the client's mistake, refused like any
     * other bad start_request field (an error naming it, nothing started), not read as true or false.
     */
    @ParameterizedTest
    @ValueSource(strings = {"enableAllTrackers:\"yes\"", "enableAllTrackers:1", "enableAllTrackers:\"true\"",
            "enableAllTrackers:0", "interimResults:\"yes\"", "interimResults:1", "interimResults:\"false\""})
    void switchesThatAreNotBooleansAreFieldErrorsAndStartNothing(String member) {
        String name = member.substring(0, member.indexOf(':'));
        String value = member.substring(member.indexOf(':') + 1);
        try (TestSocket socket = connect(api)) {
            socket.send("{\"type\":\"start_request\",\"config\":{\"trackers\":{\"" + name + "\":" + value + "}}}");
            JsonNode refused = socket.next().path("message");
            assertThat(refused.path("type").asString()).isEqualTo("error");
            assertThat(refused.path("details").asString()).startsWith("Invalid start_request at config.trackers."
                    + name + ": ").contains("boolean");
            assertThat(refused.path("errors").get(0).path("field").asString()).isEqualTo("config.trackers." + name);
            socket.send(message("hello", true, null));
            assertThat(error(socket).asString()).as("a refused start starts nothing").contains("before start_request");
        }
    }

    @Test
    void speakersKeepTheirOwnFromAndASecondStartIsRejected() {
        try (TestSocket socket = connect(api)) {
            String conversationId = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "],"
                    + "\"speaker\":{\"userId\":\"ann\",\"name\":\"ann\"}}");
            socket.send("{\"type\":\"start_request\",\"trackers\":[{\"name\":\"Other\",\"vocabulary\":[\"hello\"]}],"
                    + "\"speaker\":{\"userId\":\"bob\",\"name\":\"bob\"}}");
            assertThat(error(socket).asString()).contains("already started").contains(conversationId)
                    .contains("send stop_request");

            socket.send(message("no budget here", true, "bob"));
            socket.next();
            JsonNode bob = socket.next();
            socket.send(message("no budget there", true, null));
            socket.next();
            JsonNode ann = socket.next();
            assertThat(ref(bob).path("from").path("userId").asString()).isEqualTo("bob");
            assertThat(ref(ann).path("from").path("userId").asString()).isEqualTo("ann");
            socket.send("{\"type\":\"stop_request\"}");
            socket.next();

            List<String> speakers = new ArrayList<>();
            api.get("/v1/conversations/" + conversationId + "/messages").body().path("messages")
                    .forEach(message -> speakers.add(message.path("from").path("userId").asString()));
            assertThat(speakers).containsExactly("bob", "ann");
        }
    }

    private static JsonNode ref(JsonNode trackerResponse) {
        return trackerResponse.path("trackers").get(0).path("matches").get(0).path("messageRefs").get(0);
    }

    /**
     * A connection id is the account's own. Another account using the same id gets a stream and conversation of its
     * own and sees nothing of the owner's; before the security audit it was refused ("already in use"), so one
     * account could hold the ids another was about to use and learn which ids were live (and the owner's connection is
     * not replaced by theirs, as by a reconnect of its own).
     */
    @Test
    void anotherAccountCanNeitherAttachToALiveConnectionIdNorBlockItNorReadItsConversation() {
        TestApi other = TestApi.newAccount("http://localhost:" + port);
        String connectionId = UUID.randomUUID().toString();
        try (TestSocket owner = TestSocket.open(streaming(connectionId, api.token()), Map.of())) {
            String conversationId = start(owner, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            try (TestSocket intruder = TestSocket.open(streaming(connectionId, other.token()), Map.of())) {
                String intruderConversation = start(intruder,
                        "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
                assertThat(intruderConversation).isNotEqualTo(conversationId);

                owner.send(message("no budget", true, null));
                assertThat(owner.next().path("type").asString()).isEqualTo("message_response");
                assertThat(owner.next().path("type").asString()).isEqualTo("tracker_response");
                // the owner's frames go to the owner only
                intruder.send("{\"type\":\"stop_request\"}");
                JsonNode completed = intruder.next();
                assertThat(completed.path("message").path("type").asString()).isEqualTo("conversation_completed");
                assertThat(completed.path("message").path("conversationId").asString()).isEqualTo(intruderConversation);
                assertThat(other.get("/v1/conversations/" + intruderConversation + "/messages").body()
                        .path("messages")).isEmpty();
            }

            assertThat(other.get("/v1/conversations/" + conversationId + "/trackers").status()).isEqualTo(404);
            assertThat(other.get("/v1/conversations/" + conversationId + "/messages").status()).isEqualTo(404);
            assertThat(api.get("/v1/conversations/" + conversationId + "/trackers").status()).isEqualTo(200);
            assertThat(api.get("/v1/conversations/" + conversationId + "/messages").body().path("messages"))
                    .hasSize(1);
        }
    }

    /**
     * The official SDK reconnects after a network drop with the same connection id, often before the server has noticed
     * the drop (nothing reaches it from a dead peer). That reconnect replaces the old connection, which is told why and
     * closed (1008); what the old one sent stays stored. Until 2026-11-28 the reconnect was refused ("already in use",
     * 1008, which the SDK does not retry) until the old connection's idle timeout, 5 minutes by default.
     */
    @Test
    void aReconnectWithTheIdOfAConnectionStillOpenReplacesIt() {
        String connectionId = UUID.randomUUID().toString();
        try (TestSocket dropped = TestSocket.open(streaming(connectionId, api.token()), Map.of())) {
            String first = start(dropped, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            dropped.send(message("we have no budget", true, null));
            assertThat(dropped.next().path("type").asString()).isEqualTo("message_response");
            assertThat(dropped.next().path("type").asString()).isEqualTo("tracker_response");

            try (TestSocket reconnected = TestSocket.open(streaming(connectionId, api.token()), Map.of())) {
                assertThat(error(dropped).asString()).contains("same connection id '" + connectionId + "'")
                        .contains("replaces it");
                assertThat(dropped.closeCode(Duration.ofSeconds(30))).isEqualTo(1008);

                String second = start(reconnected, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
                assertThat(second).as("a reconnect starts a new conversation").isNotEqualTo(first);
                reconnected.send(message("still no budget", true, null));
                assertThat(reconnected.next().path("type").asString()).isEqualTo("message_response");
                assertThat(reconnected.next().path("type").asString()).isEqualTo("tracker_response");
                reconnected.send("{\"type\":\"stop_request\"}");
                assertThat(reconnected.next().path("message").path("type").asString())
                        .isEqualTo("conversation_completed");
            }
            assertThat(api.get("/v1/conversations/" + first + "/trackers").body()).hasSize(1);
        }
    }

    /**
     * A transcript's last words often arrive after the client sent stop_request. They are refused (the stream is over),
     * and the error says so and names the stopped conversation, rather than that no stream had been started.
     */
    @Test
    void aMessageAfterStopIsToldTheStreamWasStopped() {
        try (TestSocket socket = connect(api)) {
            String conversationId = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            socket.send("{\"type\":\"stop_request\"}");
            assertThat(socket.next().path("message").path("type").asString()).isEqualTo("conversation_completed");
            socket.send(message("no budget", true, null));
            assertThat(error(socket).asString()).startsWith("message_request received after stop_request")
                    .contains(conversationId).contains("send start_request");
            assertThat(api.get("/v1/conversations/" + conversationId + "/messages").body().path("messages")).isEmpty();
        }
    }

    @Test
    void oneAccountCannotOpenMoreConnectionsThanItsLimitWhileAnotherAccountStillConnects() throws Exception {
        // handshakes at once: the count decides, not the early check each of them passed
        List<java.util.concurrent.CompletableFuture<TestSocket>> attempts = new ArrayList<>();
        for (int i = 0; i < 2 * CONNECTIONS_PER_ACCOUNT; i++) {
            attempts.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> connect(api)));
        }
        List<TestSocket> streaming = new ArrayList<>();
        int refusedOnHandshake = 0;
        int closedAfterIt = 0;
        for (java.util.concurrent.CompletableFuture<TestSocket> attempt : attempts) {
            TestSocket socket;
            try {
                socket = attempt.join();
            } catch (java.util.concurrent.CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
                assertThat(((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(429);
                refusedOnHandshake++;
                continue;
            }
            try {
                socket.send("{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            } catch (java.util.concurrent.CompletionException closedBeforeTheFrame) {
                // refused after the handshake: the server may have closed it before this frame could be sent
            }
            JsonNode first = socket.next();
            if (first.path("message").path("type").asString().equals("error")) {
                assertThat(first.path("message").path("details").asString())
                        .contains("max-connections-per-account");
                assertThat(socket.closeCode(Duration.ofSeconds(30))).isEqualTo(1008);
                closedAfterIt++;
            } else {
                assertThat(first.path("message").path("type").asString()).isEqualTo("started_listening");
                streaming.add(socket);
            }
        }
        assertThat(streaming).as("refused on the handshake: %d, closed after it: %d", refusedOnHandshake,
                closedAfterIt).hasSize(CONNECTIONS_PER_ACCOUNT);

        String oneMore = rawUpgrade("/v1/streaming/" + UUID.randomUUID(), "Bearer " + api.token());
        assertThat(oneMore).startsWith("HTTP/1.1 429").contains("application/problem+json")
                .contains("https://opentrackers.io/problems/too-many-requests")
                .contains("already has " + CONNECTIONS_PER_ACCOUNT + " streaming connections open")
                .contains("trackers.streaming.max-connections-per-account");

        TestApi other = TestApi.newAccount("http://localhost:" + port);
        try (TestSocket others = connect(other)) {
            start(others, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
        }

        // a connection closed gives its place back
        streaming.remove(0).close();
        AccountId account = AccountId.parse(api.accountId());
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!connections.hasRoomFor(account) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        try (TestSocket again = connect(api)) {
            start(again, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
        } finally {
            streaming.forEach(TestSocket::close);
        }
    }

    @Test
    void anAccountAtItsLimitCanStillReconnectWithTheIdOfAConnectionStillOpen() {
        TestApi account = TestApi.newAccount("http://localhost:" + port);
        String connectionId = UUID.randomUUID().toString();
        List<TestSocket> open = new ArrayList<>();
        try {
            open.add(TestSocket.open(streaming(connectionId, account.token()), Map.of()));
            while (open.size() < CONNECTIONS_PER_ACCOUNT) {
                open.add(connect(account));
            }
            for (TestSocket socket : open) {
                start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            }
            assertThat(rawUpgrade("/v1/streaming/" + UUID.randomUUID(), "Bearer " + account.token()))
                    .startsWith("HTTP/1.1 429");

            // the client of the first connection lost its network and reconnects with the same id
            try (TestSocket reconnected = TestSocket.open(streaming(connectionId, account.token()), Map.of())) {
                assertThat(error(open.get(0)).asString()).contains("replaces it");
                assertThat(open.get(0).closeCode(Duration.ofSeconds(30))).isEqualTo(1008);
                start(reconnected, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
                reconnected.send(message("we have no budget", true, null));
                assertThat(reconnected.next().path("type").asString()).isEqualTo("message_response");
                assertThat(reconnected.next().path("type").asString()).isEqualTo("tracker_response");
            }
        } finally {
            open.forEach(TestSocket::close);
        }
    }

    @Test
    void idleConnectionsAreToldAndClosed() {
        try (TestSocket socket = connect(api)) {
            JsonNode idle = error(socket);
            assertThat(idle.asString()).contains("no frame received for 2s");
            assertThat(socket.closeCode(Duration.ofSeconds(30))).isEqualTo(1000);
        }
    }

    @Test
    void aConnectionWaitingForResultsIsNotIdle() {
        try (TestSocket socket = connect(api)) {
            start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            detector.hold();
            try {
                socket.send(message("[hold] no budget", true, null));
                assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
                assertThat(socket.none(Duration.ofSeconds(3))).as("nothing, in particular no idle close").isNull();
            } finally {
                detector.release();
            }
            assertThat(socket.next().path("type").asString()).isEqualTo("tracker_response");
            assertThat(socket.closeCode(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void aSecondStopRequestDoesNotMakeAStoppingStreamIdle() {
        try (TestSocket socket = connect(api)) {
            String conversationId = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            detector.hold();
            try {
                socket.send(message("[hold] no budget", true, null));
                assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
                socket.send("{\"type\":\"stop_request\"}");
                socket.send("{\"type\":\"stop_request\"}");
                assertThat(error(socket).asString()).contains("no stream is started");
                assertThat(socket.none(Duration.ofSeconds(3))).as("nothing, in particular no idle close").isNull();
            } finally {
                detector.release();
            }
            assertThat(socket.next().path("type").asString()).isEqualTo("tracker_response");
            assertThat(socket.next().path("message").path("conversationId").asString()).isEqualTo(conversationId);
            assertThat(socket.closeCode(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void sdkKeepAlivePingIsAnswered() {
        try (TestSocket socket = connect(api)) {
            socket.send("__PING__");
            assertThat(socket.nextText(Duration.ofSeconds(30))).isEqualTo("__PONG__");
        }
    }

    private boolean markedLive(String conversationId) {
        return jdbc.sql("select live_stream_until > now() from conversation where id = ?").params(conversationId)
                .query(Boolean.class).single();
    }

    /**
     * The retention (trackers.conversations.retention) deletes no conversation a live stream writes to, on any
     * instance: the stream's instance keeps its conversation marked while it is open, even while it sends no message
     * (its last activity then grows old), and stops renewing the mark once the stream is stopped.
     */
    @Test
    void anOpenStreamKeepsItsConversationMarkedLive() {
        try (TestSocket socket = connect(api)) {
            String conversationId = start(socket, "{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            assertThat(markedLive(conversationId)).as("marked when the stream starts").isTrue();
            jdbc.sql("update conversation set live_stream_until = now() - interval '1 minute' where id = ?")
                    .params(conversationId).update();

            connections.markLiveStreams();

            assertThat(markedLive(conversationId)).as("renewed while the stream is open").isTrue();
            socket.send("{\"type\":\"stop_request\"}");
            assertThat(socket.next().path("message").path("type").asString()).isEqualTo("conversation_completed");
            jdbc.sql("update conversation set live_stream_until = now() - interval '1 minute' where id = ?")
                    .params(conversationId).update();
            connections.markLiveStreams();
            assertThat(markedLive(conversationId)).as("no longer renewed once stopped").isFalse();
        }
    }
}
