package io.opentrackers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.Conversation;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.ConversationService.PendingDetection;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Issue 20, finding 8: after a kill -9 between storing a streamed message's sentences and storing its hits, nothing
 * re-ran detection. The crash window is reproduced with the streaming path's own calls (a streaming conversation
 * with its resolved trackers, sentences stored awaiting detection, no hits), then {@link StreamRecovery} runs as it
 * does at start-up. Recovery takes every pending sentence here ({@code recovery-after=0s}); its schedule is long so
 * that only the test runs it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"trackers.streaming.recovery-after=0s", "trackers.streaming.recovery-interval=1h"})
@Import(LiteralMatchingConfiguration.class)
class StreamRecoveryIT {

    private static final TrackerDefinition BUDGET = new TrackerDefinition("inline-budget", "Budget",
            List.of("out of budget", "no budget", "budget is gone", "cannot afford it", "money ran out"), null, 0);

    @LocalServerPort
    int port;

    @Autowired
    ConversationService conversations;

    @Autowired
    StreamRecovery recovery;

    @Test
    void sentencesStoredWithoutTheirHitsGetThemExactlyOnceFromRecovery() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        AccountId account = AccountId.parse(api.accountId());
        // what StreamService.start and .message store before detection comes back; then the process "dies"
        Conversation conversation = conversations.createStreaming(account, "killed mid-stream", List.of(BUDGET));
        List<StoredMessage> stored = conversations.appendAwaitingDetection(account, conversation.id(),
                conversations.sentences(List.of(new NewMessage("Sorry. We are out of budget this year.", null, null,
                        null), new NewMessage("Let us talk in spring.", null, null, null))));
        String trackersPath = "/v1/conversations/" + conversation.id() + "/trackers";
        assertThat(api.get(trackersPath).body()).as("the crash window: stored, never detected").isEmpty();
        assertThat(pendingOf(conversation.id())).hasSize(3);

        assertThat(recovery.recover()).isGreaterThanOrEqualTo(3);

        JsonNode recovered = api.get(trackersPath).body();
        assertThat(recovered).hasSize(1);
        assertThat(recovered.get(0).get("id").asString()).isEqualTo("inline-budget");
        JsonNode refs = recovered.get(0).get("matches").get(0).get("messageRefs");
        assertThat(refs).hasSize(1);
        assertThat(refs.get(0).get("id").asString()).isEqualTo(stored.get(1).id());
        assertThat(refs.get(0).get("text").asString()).isEqualTo("We are out of budget this year.");
        assertThat(pendingOf(conversation.id())).isEmpty();

        // nothing is left to do, and recording the same detection again (the live stream finishing late, another
        // instance) stores nothing twice
        assertThat(recovery.recover()).isZero();
        TrackerHit again = new TrackerHit(stored.get(1).id(), "inline-budget", "Budget", "out of budget", 7, 1.0, 7,
                20);
        conversations.recordDetection(account, conversation.id(), List.of(stored.get(1).id()), List.of(again));
        assertThat(api.get(trackersPath).body()).isEqualTo(recovered);
    }

    @Test
    void recoveryLeavesYoungSentencesToTheirLiveStream() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        AccountId account = AccountId.parse(api.accountId());
        Conversation conversation = conversations.createStreaming(account, null, List.of(BUDGET));
        conversations.appendAwaitingDetection(account, conversation.id(),
                conversations.sentences(List.of(new NewMessage("no budget", null, null, null))));
        assertThat(conversations.pendingDetections(Instant.now().minusSeconds(30), 10_000))
                .extracting(PendingDetection::conversationId).doesNotContain(conversation.id());
        assertThat(pendingOf(conversation.id())).hasSize(1);
    }

    @Test
    void aStreamThatCompletesNormallyLeavesNothingPending() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        URI uri = URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + api.token());
        String conversationId;
        try (TestSocket socket = TestSocket.open(uri, Map.of())) {
            socket.send("{\"type\":\"start_request\",\"trackers\":[{\"name\":\"Budget\",\"vocabulary\":[\"out of "
                    + "budget\",\"no budget\",\"budget is gone\",\"cannot afford it\",\"money ran out\"]}]}");
            socket.next();
            conversationId = socket.next().path("message").path("data").path("conversationId").asString();
            socket.send(message("We are out of budget. Truly."));
            socket.send(message("Nothing to track here."));
            socket.send("{\"type\":\"stop_request\"}");
            JsonNode frame;
            do {
                frame = socket.next();
            } while (!"conversation_completed".equals(frame.path("message").path("type").asString()));
        }
        assertThat(api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages")).hasSize(3);
        assertThat(pendingOf(conversationId)).as("every sentence's detection recorded, with or without hits")
                .isEmpty();
        assertThat(api.get("/v1/conversations/" + conversationId + "/trackers").body().get(0).get("matches").get(0)
                .get("messageRefs")).hasSize(1);
    }

    private static String message(String text) {
        return "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"" + text + "\"}}]}";
    }

    /** The sentences of one conversation still awaiting detection, however young. */
    private List<StoredMessage> pendingOf(String conversationId) {
        return conversations.pendingDetections(Instant.now().plusSeconds(60), 10_000).stream()
                .filter(pending -> pending.conversationId().equals(conversationId))
                .flatMap(pending -> pending.sentences().stream()).toList();
    }
}
