package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The suite's guard against bad input (issue 20): a generated corpus of wrong types, NUL characters, unpaired
 * surrogates, huge numbers, out-of-range dates, overlong strings, malformed JSON and deep nesting, sent to every
 * JSON endpoint and as transcripts and streaming frames. Whatever the service answers, it is never a 5xx, every
 * refusal is an {@code application/problem+json} with a {@code type} that names no Java type, and a refused
 * request stores nothing: the account's trackers, conversations, messages and jobs, and the number of accounts,
 * are counted before and after each one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    private static final String PLACEHOLDER = "@@mutant@@";
    private static final String FIVE_PHRASES = "[\"price of the plan\",\"how much does it cost\",\"discount\","
            + "\"monthly fee\",\"annual billing\"]";
    private static final String TRACKER = "{\"name\":\"Pricing\",\"vocabulary\":" + FIVE_PHRASES
            + ",\"description\":\"money talk\",\"categories\":[\"sales\"],\"languages\":[\"en-US\"],\"sensitivity\":0.5}";
    private static final String MESSAGES = "[{\"id\":\"m1\",\"payload\":{\"content\":\"What is the price of the plan?\","
            + "\"contentType\":\"text/plain\"},\"from\":{\"userId\":\"u1\",\"name\":\"Ann\"},"
            + "\"duration\":{\"startTime\":\"2026-01-31T10:15:30Z\",\"endTime\":\"2026-01-31T10:15:35Z\"}}]";
    private static final String INLINE = "[{\"name\":\"Inline\",\"vocabulary\":" + FIVE_PHRASES + ",\"sensitivity\":0.4}]";

    /** Values put in place of each member and item of a valid body, written as raw JSON. */
    private static final List<String> BAD_VALUES = List.of(
            "12345", "1.5", "true", "false", "0", "null", "\"false\"", "\"0\"", "\"\"", "\"   \"", "{}", "[]",
            "[1,2]", "{\"a\":{\"b\":1}}", "\"x\\u0000y\"", "\"x\\ud800y\"", "\"\\udc00\"", "[\"x\\u0000\"]",
            "[\"\\ud800\"]", "9".repeat(400), "-" + "9".repeat(400), "0." + "0".repeat(398) + "1", "1e400", "-1e400",
            "1e-400", "9".repeat(1100), "\"+300000-01-01T00:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"",
            "\"-999999999-01-01T00:00:00Z\"", "\"2026-13-45T99:99:99Z\"", "\"" + "a".repeat(5000) + "\"",
            "\"" + "\u00e9".repeat(3000) + "\"", "\"<v.a<v.a<v.a>\"", "[".repeat(600) + "]".repeat(600));

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ServiceClient api;
    Account account;
    String trackerId;
    String conversationId;
    final Map<String, Integer> statuses = new TreeMap<>();
    int sent;

    @BeforeAll
    void setUp() {
        api = new ServiceClient(port);
        account = api.newAccount();
        Reply tracker = api.post(account, "/v1/manage/trackers", TRACKER.replace("Pricing", "Existing"));
        assertThat(tracker.status()).isEqualTo(201);
        trackerId = tracker.json().get("tracker").get("id").asString();
        Reply conversation = api.post(account, "/v1/process/text", "{\"messages\":" + MESSAGES + "}");
        assertThat(conversation.status()).isEqualTo(201);
        conversationId = conversation.text("conversationId");
    }

    @AfterAll
    void report() {
        System.out.println("bad-input corpus: " + sent + " requests, statuses " + statuses);
    }

    /** An endpoint and a valid body for it; the corpus is every mutation of that body. */
    static Stream<Arguments> jsonEndpoints() {
        return Stream.of(
                Arguments.of("POST", "/v1/manage/trackers", TRACKER),
                Arguments.of("POST", "/v1/manage/tracker", TRACKER),
                Arguments.of("POST", "/v1/manage/trackers/bulk", "[" + TRACKER + "," + TRACKER.replace("Pricing", "Other") + "]"),
                Arguments.of("POST", "/v1/manage/trackers", "[" + TRACKER.replace("Pricing", "Array") + "]"),
                Arguments.of("PUT", "/v1/manage/trackers/{trackerId}", TRACKER.replace("Pricing", "Existing")),
                Arguments.of("PATCH", "/v1/manage/trackers/{trackerId}", "[{\"op\":\"replace\",\"path\":\"/description\","
                        + "\"value\":\"patched\"},{\"op\":\"add\",\"path\":\"/vocabulary/-\",\"value\":\"extra phrase\"}]"),
                Arguments.of("POST", "/v1/manage/trackers/{trackerId}/examples",
                        "{\"text\":\"Is there a cheaper plan?\",\"match\":true}"),
                Arguments.of("POST", "/v1/manage/trackers/{trackerId}/examples", "[{\"text\":\"The price went up\","
                        + "\"match\":false},{\"text\":\"Any discount for two seats?\",\"match\":true}]"),
                Arguments.of("POST", "/v1/match", "{\"messages\":" + MESSAGES + ",\"trackers\":" + INLINE
                        + ",\"enableAllTrackers\":false}"),
                Arguments.of("POST", "/v1/process/text", "{\"messages\":" + MESSAGES + ",\"name\":\"Call\",\"trackers\":"
                        + INLINE + ",\"enableAllTrackers\":true,\"webhookUrl\":\"http://localhost:9/hook\"}"),
                Arguments.of("PUT", "/v1/process/text/{conversationId}", "{\"messages\":" + MESSAGES
                        + ",\"trackers\":[{\"id\":\"{trackerId}\"}]}"),
                Arguments.of("POST", "/admin/accounts", "{\"appId\":\"fuzz-app\",\"appSecret\":\"secret-123\",\"name\":\"Fuzz\"}"),
                Arguments.of("POST", "/oauth2/token:generate", "{\"type\":\"application\",\"appId\":\"fuzz-app\","
                        + "\"appSecret\":\"secret-123\"}"),
                // a string that is no token: the valid body changes nothing (200), so the corpus cannot revoke the
                // token it is sent with
                Arguments.of("POST", "/oauth2/token:revoke", "{\"token\":\"eyJhbGciOiJIUzI1NiJ9.e30.c2ln\"}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jsonEndpoints")
    void jsonEndpointsRefuseBadInputWithProblemsAndStoreNothing(String method, String path, String validBody) {
        String target = path.replace("{trackerId}", trackerId).replace("{conversationId}", conversationId);
        Map<String, String> headers = path.startsWith("/admin") ? Map.of("X-Operator-Key", ServiceClient.OPERATOR_KEY)
                : path.equals("/oauth2/token:generate") ? Map.of() : ServiceClient.bearer(account);
        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, String> mutant : mutants(validBody.replace("{trackerId}", trackerId)).entrySet()) {
            send(softly, method, target, headers, mutant.getKey(),
                    HttpRequest.BodyPublishers.ofString(mutant.getValue()));
        }
        // bytes that are not UTF-8 cannot be written as a Java string
        byte[] invalidUtf8 = validBody.replace("secret-123", "x").getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length / 2] = (byte) 0xC3;
        invalidUtf8[invalidUtf8.length / 2 + 1] = (byte) 0x28;
        send(softly, method, target, headers, "invalid UTF-8", HttpRequest.BodyPublishers.ofByteArray(invalidUtf8));
        softly.assertAll();
    }

    static Stream<Arguments> transcripts() {
        String vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n";
        String srt = "1\n00:00:01,000 --> 00:00:02,000\n";
        return Stream.of(
                Arguments.of("text/vtt", "", vtt + "<v Ann>hello\n"),
                Arguments.of("text/vtt", "", "WEBVTT\n\n1234567890:00:01.000 --> 1234567890:00:02.000\nhi\n"),
                Arguments.of("text/vtt", "", "WEBVTT\n\n" + "9".repeat(40) + ":00:01.000 --> 00:00:02.000\nhi\n"),
                Arguments.of("text/vtt", "", vtt + "<v.a".repeat(20_000) + "\n"),
                Arguments.of("text/vtt", "", vtt + "<v " + "a".repeat(300) + ">too long a speaker\n"),
                Arguments.of("text/vtt", "", vtt + "nul \u0000 inside\n"),
                Arguments.of("text/vtt", "", vtt + "lone \uD800 surrogate\n"),
                Arguments.of("text/vtt", "", vtt + "\n"),
                Arguments.of("text/vtt", "", "no header\n"),
                Arguments.of("text/vtt", "", ""),
                Arguments.of("text/vtt", "", "WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nbackwards\n"),
                Arguments.of("text/vtt", "?startTime=%2B999999999-01-01T00:00:00Z", vtt + "hi\n"),
                Arguments.of("text/vtt", "?startTime=%2B999999999-12-31T23:00:00Z",
                        "WEBVTT\n\n99999:00:01.000 --> 99999:00:02.000\nhi\n"),
                Arguments.of("text/vtt", "?startTime=-999999999-01-01T00:00:00Z", vtt + "hi\n"),
                Arguments.of("text/vtt", "?startTime=yesterday", vtt + "hi\n"),
                Arguments.of("text/vtt", "?startTime=%00", vtt + "hi\n"),
                Arguments.of("text/vtt", "?name=%00", vtt + "hi\n"),
                Arguments.of("text/vtt", "?name=" + "n".repeat(300), vtt + "hi\n"),
                Arguments.of("text/vtt", "?trackerId=%00", vtt + "hi\n"),
                Arguments.of("text/vtt", "?trackerId=" + UUID.randomUUID(), vtt + "hi\n"),
                Arguments.of("text/vtt", "?enableAllTrackers=maybe", vtt + "hi\n"),
                Arguments.of("text/vtt", "?webhookUrl=ftp://x", vtt + "hi\n"),
                Arguments.of("application/x-subrip", "", srt + "Dr. Lee: hello\n"),
                Arguments.of("application/x-subrip", "", "1\n12345678901:00:01,000 --> 12345678901:00:02,000\nhi\n"),
                Arguments.of("application/x-subrip", "", srt + "<i".repeat(20_000) + "\n"),
                Arguments.of("application/x-subrip", "", srt + "a".repeat(300) + ": long name prefix\n"),
                Arguments.of("application/x-subrip", "", srt + "nul \u0000\n"),
                Arguments.of("application/x-subrip", "", "1\n00:00:01,000 -> 00:00:02,000\nhi\n"),
                Arguments.of("application/x-subrip", "?startTime=%2B999999999-01-01T00:00:00Z", srt + "hi\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transcripts")
    void transcriptUploadsRefuseBadInputWithProblemsAndStoreNothing(String contentType, String query, String body) {
        Map<String, String> headers = new HashMap<>(ServiceClient.bearer(account));
        headers.put("Content-Type", contentType);
        SoftAssertions softly = new SoftAssertions();
        send(softly, "POST", "/v1/process/text" + query, headers, abbreviate(body),
                HttpRequest.BodyPublishers.ofString(body));
        send(softly, "PUT", "/v1/process/text/" + conversationId + query, headers, abbreviate(body),
                HttpRequest.BodyPublishers.ofString(body));
        softly.assertAll();
    }

    /** Frames of the Streaming API: wrong types and unstorable text are error messages, never server errors. */
    @Test
    void streamingFramesOfBadInputAreErrorMessages() {
        URI uri = URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + account.token());
        int before = conversations();
        try (TestSocket socket = TestSocket.open(uri, Map.of())) {
            for (String frame : List.of(
                    "{\"type\":\"start_request\",\"config\":{\"trackers\":{\"enableAllTrackers\":\"false\"}}}",
                    "{\"type\":\"start_request\",\"speaker\":{\"name\":12345}}",
                    "{\"type\":\"start_request\",\"speaker\":{\"name\":\"x\\u0000\"}}",
                    "{\"type\":\"start_request\",\"speaker\":{\"name\":\"x\\ud800\"}}",
                    "{\"type\":\"start_request\",\"trackers\":{}}",
                    "[".repeat(600) + "]".repeat(600))) {
                socket.send(frame);
                JsonNode answer = socket.next();
                assertThat(answer.at("/message/type").asString()).as(frame).isEqualTo("error");
                assertThat(answer.at("/message/details").asString()).as(frame).doesNotContain("server error");
            }
            socket.send("{\"type\":\"start_request\"}");
            assertThat(socket.next().at("/message/type").asString()).isEqualTo("started_listening");
            assertThat(socket.next().at("/message/type").asString()).isEqualTo("conversation_created");
            assertThat(socket.next().at("/message/type").asString()).isEqualTo("recognition_started");
            for (String frame : List.of(
                    "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":12345}}]}",
                    "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"x\\u0000\"}}]}",
                    "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"x\\ud800y\"}}]}",
                    "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"hi\"},\"isFinal\":\"yes\"}]}",
                    "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"hi\"},"
                            + "\"duration\":{\"startTime\":\"+300000-01-01T00:00:00Z\"}}]}")) {
                socket.send(frame);
                JsonNode answer = socket.next();
                assertThat(answer.at("/message/type").asString()).as(frame).isEqualTo("error");
                assertThat(answer.at("/message/details").asString()).as(frame).doesNotContain("server error");
            }
        }
        // the stream that started holds one conversation; no refused frame added messages to it
        assertThat(conversations()).isLessThanOrEqualTo(before + 1);
        assertThat(jdbc.sql("select count(*) from conversation_message m join conversation c on c.id = m.conversation_id "
                + "where c.account_id = ? and c.source = 'streaming'").param(UUID.fromString(account.id()))
                .query(Integer.class).single()).isZero();
    }

    private void send(SoftAssertions softly, String method, String path, Map<String, String> headers, String what,
            HttpRequest.BodyPublisher body) {
        List<Integer> before = stored();
        Reply reply = api.sendRaw(method, path, headers, body);
        sent++;
        statuses.merge(String.valueOf(reply.status()), 1, Integer::sum);
        String request = method + " " + path + " with " + abbreviate(what);
        softly.assertThat(reply.status()).as(request + ": " + abbreviate(reply.body())).isLessThan(500);
        if (reply.status() < 400) {
            return;
        }
        softly.assertThat(reply.contentType()).as(request).startsWith("application/problem+json");
        if (reply.json() == null) {
            return;
        }
        softly.assertThat(reply.text("type")).as(request).startsWith("https://opentrackers.io/problems/");
        softly.assertThat(reply.text("title")).as(request).isNotBlank();
        softly.assertThat(reply.json().path("status").asInt()).as(request).isEqualTo(reply.status());
        softly.assertThat(reply.text("detail")).as(request).isNotBlank()
                .doesNotContain("java.", "io.opentrackers", "tools.jackson", "Exception");
        softly.assertThat(reply.text("message")).as(request).isEqualTo(reply.text("detail"));
        softly.assertThat(reply.text("instance")).as(request).isEqualTo(URI.create("http://x" + path).getRawPath());
        softly.assertThat(stored()).as(request + " stored nothing").isEqualTo(before);
    }

    /**
     * What a request of this account could store: trackers (and their versions, which every change bumps), their
     * examples, conversations, messages, jobs; and all accounts.
     */
    private List<Integer> stored() {
        UUID id = UUID.fromString(account.id());
        return List.of(
                jdbc.sql("select count(*) from tracker where account_id = ?").param(id).query(Integer.class).single(),
                jdbc.sql("select coalesce(sum(version), 0)::int from tracker where account_id = ?").param(id)
                        .query(Integer.class).single(),
                jdbc.sql("select count(*) from tracker_example e join tracker t on t.id = e.tracker_id "
                        + "where t.account_id = ?").param(id).query(Integer.class).single(),
                conversations(),
                jdbc.sql("select count(*) from conversation_message m join conversation c on c.id = m.conversation_id "
                        + "where c.account_id = ?").param(id).query(Integer.class).single(),
                jdbc.sql("select count(*) from job where account_id = ?").param(id).query(Integer.class).single(),
                jdbc.sql("select count(*) from account").query(Integer.class).single());
    }

    private int conversations() {
        return jdbc.sql("select count(*) from conversation where account_id = ?").param(UUID.fromString(account.id()))
                .query(Integer.class).single();
    }

    /**
     * Every mutation of {@code validJson}, by description: each member and item replaced by each bad value or
     * left out, plus documents that are malformed as a whole.
     */
    static Map<String, String> mutants(String validJson) {
        Map<String, String> mutants = new TreeMap<>();
        JsonNode valid = ServiceClient.JSON.readTree(validJson);
        for (String pointer : pointers(valid, "")) {
            for (String bad : BAD_VALUES) {
                JsonNode copy = valid.deepCopy();
                replace(copy, pointer, ServiceClient.JSON.getNodeFactory().stringNode(PLACEHOLDER));
                mutants.put(pointer + " = " + abbreviate(bad),
                        copy.toString().replace("\"" + PLACEHOLDER + "\"", bad));
            }
            JsonNode copy = valid.deepCopy();
            replace(copy, pointer, null);
            mutants.put(pointer + " left out", copy.toString());
        }
        String text = valid.toString();
        mutants.put("empty body", "");
        mutants.put("truncated", text.substring(0, text.length() / 2));
        mutants.put("unclosed", text.substring(0, text.length() - 1));
        mutants.put("trailing garbage", text + " }{");
        mutants.put("two documents", text + text);
        mutants.put("a string instead", "\"text\"");
        mutants.put("a number instead", "42");
        mutants.put("null instead", "null");
        mutants.put("deep arrays", "[".repeat(5000) + "]".repeat(5000));
        mutants.put("deep objects", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        mutants.put("deep inside", text.replaceFirst("\\{", "{\"extra\":" + "[".repeat(3000) + "]".repeat(3000) + ","));
        mutants.put("duplicate members", text.replaceFirst("\\{", "{\"name\":\"dup\","));
        mutants.put("single quotes", text.replace('"', '\''));
        mutants.put("comments", "/* c */" + text);
        return mutants;
    }

    private static List<String> pointers(JsonNode node, String at) {
        List<String> pointers = new ArrayList<>();
        if (node instanceof ObjectNode object) {
            for (String name : object.propertyNames()) {
                pointers.add(at + "/" + name);
                pointers.addAll(pointers(object.get(name), at + "/" + name));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                pointers.add(at + "/" + i);
                pointers.addAll(pointers(array.get(i), at + "/" + i));
            }
        }
        return pointers;
    }

    /** Sets (or, for null, removes) the node at a JSON pointer below the root. */
    private static void replace(JsonNode root, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = pointer.substring(0, slash).isEmpty() ? root : root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(last);
            } else {
                object.set(last, value);
            }
        } else if (parent instanceof ArrayNode array) {
            if (value == null) {
                array.remove(Integer.parseInt(last));
            } else {
                array.set(Integer.parseInt(last), value);
            }
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 120 ? text.substring(0, 120) + "…(" + text.length() + ")" : text;
    }
}
