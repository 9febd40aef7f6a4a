package io.opentrackers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * What a client written from {@code docs/asyncapi.yaml} relies on (one in a language without the official SDK, or a
 * generated one): every frame the service sends conforms to the message the document gives it, every frame a correct
 * client sends conforms to a documented client message, and every example of the document to its own schema. One
 * realistic pass over both channels (starts with inline and managed trackers, speakers and roles, interim and final
 * text, hits, the usual refusals, stops) is checked frame by frame and every mismatch reported in one failure. The
 * pass must see every server frame the document lists, so that a new one is checked from the day it is documented.
 * The literal detector makes the hits exact; the frames' shapes are the same with the model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(LiteralMatchingConfiguration.class)
class AsyncApiConformanceIT {

    private static final String STREAMING = "/v1/streaming/";
    private static final String LEGACY = "/v1/realtime/insights/";

    @LocalServerPort
    int port;

    private TestApi api;
    private AsyncApiContract contract;

    @BeforeEach
    void readTheDocument() throws IOException {
        api = TestApi.newAccount("http://localhost:" + port);
        contract = new AsyncApiContract(Files.readString(Path.of("docs/asyncapi.yaml")));
    }

    @Test
    void everyExampleConformsToItsSchema() {
        contract.checkExamples();
        assertThat(contract.checkedExamples()).as("examples checked").isGreaterThan(10);
        assertThat(String.join("\n", contract.mismatches())).as("examples that contradict their schema").isEmpty();
    }

    @Test
    void everyFrameOfARealisticPassConformsToItsDocumentedMessage() {
        String pricing = created("""
                {"name": "Pricing", "vocabulary": ["what is the price", "how much does it cost", "pricing plans",
                                                   "too expensive", "a discount"]}""");
        created("""
                {"name": "Greeting", "speaker": "agent",
                 "vocabulary": ["good morning", "hello there", "nice to meet you", "how are you", "thanks for calling"]}""");
        try (Stream stream = new Stream(STREAMING, Map.of(), true)) {
            refusalsBeforeAStart(stream);
            stream.send("""
                    {"type": "start_request", "insightTypes": [],
                     "trackers": [{"id": "%s"},
                                  {"name": "Budget", "vocabulary": ["out of budget", "no budget", "budget is gone",
                                                                    "cannot afford it", "money ran out"],
                                   "speaker": "customer", "sensitivity": 0.7, "exclude": ["not out of budget"]},
                                  {"name": "Closing", "vocabulary": ["anything else", "have a nice day", "goodbye",
                                                                     "talk soon", "bye for now"],
                                   "window": {"anchor": "end", "messages": 2}}],
                     "config": {"speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": 16000},
                                "trackers": {"interimResults": true, "enableAllTrackers": false},
                                "meetingTitle": "Call with Bob"},
                     "speaker": {"userId": "ann@example.com", "name": "Ann", "role": "agent"},
                     "speakerRoles": {"bob@example.com": "customer"}}""".formatted(pricing));
            stream.until("message/recognition_started");
            stream.send("""
                    {"type": "message_request", "messages": [{"payload": {"content": "we have no budget"},
                      "from": {"userId": "bob@example.com", "name": "Bob"}, "isFinal": false}]}""");
            assertThat(stream.until("tracker_response").path("isFinal").asBoolean()).isFalse();
            stream.send("""
                    {"type": "message_request", "messages": [
                      {"payload": {"content": "Honestly we have no budget left. What is the price of the small plan?",
                                   "contentType": "text/plain"},
                       "from": {"userId": "bob@example.com", "name": "Bob"},
                       "duration": {"startTime": "2026-11-24T10:00:00Z", "endTime": "2026-11-24T10:00:04Z"},
                       "isFinal": true},
                      {"payload": {"content": "It is ten dollars, is there anything else?"},
                       "duration": {"startTime": "2026-11-24T10:00:05Z"}},
                      {"payload": {"content": "No, goodbye."}, "from": {"name": "Customer"}}]}""");
            stream.until("message_response");
            assertThat(stream.until("tracker_response").path("isFinal").asBoolean()).isTrue();
            // one bad message stores nothing and is named in errors[]
            stream.sendRefused("""
                    {"type": "message_request", "messages": [{"payload": {"content": "fine"}},
                                                             {"payload": {"content": "  "}}]}""");
            assertThat(stream.until("message/error").at("/message/errors/0/field").asString())
                    .isEqualTo("messages[1].payload.content");
            stream.send("{\"type\": \"stop_request\"}");
            stream.until("message/conversation_completed");
        }
        // the legacy path the SDK opens, with the token in a header; the account's trackers apply
        try (Stream stream = new Stream(LEGACY, Map.of("X-API-KEY", api.token()), false)) {
            stream.send("{\"type\": \"start_request\"}");
            stream.until("message/recognition_started");
            // speakers without a name, without a role, and no speaker at all; a message with its end time only
            stream.send("""
                    {"type": "message_request", "messages": [
                      {"payload": {"content": "Hello there, how much does it cost?"},
                       "from": {"userId": "agent-7", "role": "agent"}},
                      {"payload": {"content": "What is the price for two?"}, "from": {"userId": "dana-1", "name": "Dana"},
                       "duration": {"endTime": "2026-11-24T11:00:02Z"}},
                      {"payload": {"content": "A discount would help."}}]}""");
            stream.until("message_response");
            stream.until("tracker_response");
            stream.send("{\"type\": \"stop_request\"}");
            stream.until("message/conversation_completed");
        }
        // a stream that applies no tracker is told so in started_listening's warnings, and stores what it is sent
        try (Stream stream = new Stream(STREAMING, Map.of(), true)) {
            stream.send("{\"type\": \"start_request\", \"trackers\": []}");
            assertThat(stream.until("message/started_listening").at("/message/warnings/0").asString())
                    .startsWith("no tracker applied to this stream");
            stream.until("message/recognition_started");
            stream.send("""
                    {"type": "message_request", "messages": [{"payload": {"content": "what is the price"}}]}""");
            stream.until("message_response");
            stream.send("{\"type\": \"stop_request\"}");
            stream.until("message/conversation_completed");
        }

        assertThat(String.join("\n", contract.mismatches()))
                .as("frames that contradict the document (%d checked)", contract.checkedFrames()).isEmpty();
        assertThat(contract.serverFramesSeen()).as("server frames the pass saw")
                .containsAll(contract.serverFrames());
        // An optional member that every frame sends is either always sent, and a client should be told so by its
        // being required, or absent in a state the pass never showed: so every one must be left out somewhere.
        Set<String> neverLeftOut = new TreeSet<>(contract.optionalMembers());
        neverLeftOut.removeAll(contract.optionalMembersLeftOut());
        assertThat(neverLeftOut).as("optional members that every server frame of the pass sent: required if the "
                + "service always sends them, else the pass should see a state without them").isEmpty();
    }

    /** Creates a managed tracker; returns its id. */
    private String created(String tracker) {
        TestApi.Response created = api.post("/v1/manage/trackers", tracker);
        assertThat(created.status()).as("create tracker: %s", created.body()).isEqualTo(201);
        return created.body().at("/tracker/id").asString();
    }

    /** What a stream refuses before it starts: each answered with an error notice, the connection kept open. */
    private void refusalsBeforeAStart(Stream stream) {
        stream.send("__PING__");
        stream.until("__PONG__");
        stream.send("""
                {"type": "message_request", "messages": [{"payload": {"content": "too early"}}]}""");
        stream.until("message/error");
        stream.sendRefused("{\"type\": \"start_request\", \"trackers\": [");
        stream.until("message/error");
        stream.sendRefused("{\"type\": \"hello_request\"}");
        stream.until("message/error");
        stream.sendRefused("""
                {"type": "start_request", "trackers": [{"name": "Budget", "vocabulary": ["no budget?"]}]}""");
        stream.until("message/error");
        stream.socket.sendBinary(new byte[] {1, 2, 3});
        stream.until("message/error");
    }

    /** A connection whose every frame, sent or received, is checked against the document. */
    private final class Stream implements AutoCloseable {

        private final TestSocket socket;
        private final String path;

        Stream(String prefix, Map<String, String> headers, boolean tokenInQuery) {
            this.path = prefix + UUID.randomUUID();
            this.socket = TestSocket.open(URI.create("ws://localhost:" + port + path
                    + (tokenInQuery ? "?access_token=" + api.token() : "")), headers);
        }

        /** Sends a frame a correct client sends, checking it is one. */
        void send(String frame) {
            contract.checkClientFrame(path, frame);
            socket.send(frame);
        }

        /** Sends a frame the service must refuse: it is deliberately not what the document describes. */
        void sendRefused(String frame) {
            socket.send(frame);
        }

        /** Reads and checks frames up to one with this key ({@link AsyncApiContract#frameKey}), which it returns. */
        JsonNode until(String key) {
            while (true) {
                String text = socket.nextText(Duration.ofSeconds(30));
                assertThat(text).as("a %s frame within 30 s", key).isNotNull();
                if (contract.checkServerFrame(path, text).equals(key)) {
                    return AsyncApiContract.frame(text);
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
