package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.StoredConversationsTestSupport;
import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * A conversation's start (its first message's start time, else its creation) is stored in its row so that a range of
 * the conversations list is an index look-up (V25). Every way of writing messages keeps it right: a range finds the
 * conversation on the day its first message says, whichever path stored that message, and the list's
 * {@code startTime}, the conversation's own ({@code GET /v1/conversations/{id}}) and analytics' day agree with it.
 */
class ConversationStartIT extends StoredConversationsTestSupport {

    @Test
    void aStreamsConversationMovesFromItsCreationToItsFirstMessagesStart() {
        TestApi api = newAccount();
        String conversationId;
        try (TestSocket socket = TestSocket.open(streaming(port, api), Map.of())) {
            conversationId = startStream(socket);
            // no message yet: it started when it was created, today
            Instant created = Instant.parse(item(api, "").get("createdOn").asString());
            assertThat(item(api, "").get("startTime").asString()).isEqualTo(created.toString());
            assertThat(startOf(api, conversationId)).isEqualTo(created.toString());
            assertThat(ids(api, range(created.minusSeconds(60), created.plusSeconds(60))))
                    .containsExactly(conversationId);

            socket.send("""
                    {"type": "message_request", "messages": [{"payload": {"content": "We have no budget."},
                     "duration": {"startTime": "2026-03-04T15:00:00Z", "endTime": "2026-03-04T15:00:03Z"},
                     "isFinal": true}]}""");
            await("the streamed message is stored", () -> count(
                    "select count(*) from conversation_message where conversation_id = ?", conversationId) == 1);

            assertThat(ids(api, "from=2026-03-04&to=2026-03-05")).containsExactly(conversationId);
            assertThat(ids(api, range(created.minusSeconds(60), created.plusSeconds(60)))).isEmpty();
            assertThat(item(api, "from=2026-03-04&to=2026-03-05").get("startTime").asString())
                    .isEqualTo("2026-03-04T15:00:00Z");
            assertThat(startOf(api, conversationId)).isEqualTo("2026-03-04T15:00:00Z");
            socket.send("{\"type\": \"stop_request\"}");
            JsonNode frame;
            do {
                frame = socket.next();
            } while (!frame.path("message").path("type").asString().equals("conversation_completed"));
        }
        // analytics counts the hit of the stream's (inline) Budget tracker on the same day
        JsonNode figures = ok(api.get("/v1/analytics/trackers?from=2026-03-04&to=2026-03-05&interval=day"))
                .get("trackers").get(0);
        assertThat(figures.get("conversations").asInt()).isEqualTo(1);
    }

    @Test
    void anAppendWithAnEarlierMessageLeavesTheConversationOnItsFirstMessagesDay() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        Submitted call = submit(api, """
                {"messages": [{"payload": {"content": "What is the price?"},
                  "duration": {"startTime": "2026-03-10T09:00:00Z", "endTime": "2026-03-10T09:00:05Z"}}]}""");
        awaitCompleted(api, call.jobId());
        TestApi.Response appended = api.put("/v1/process/text/" + call.conversationId(), """
                {"messages": [{"payload": {"content": "The price was agreed the day before."},
                  "duration": {"startTime": "2026-03-09T09:00:00Z", "endTime": "2026-03-09T09:00:05Z"}}]}""");
        assertThat(appended.status()).as(String.valueOf(appended.body())).isEqualTo(201);
        awaitCompleted(api, appended.body().get("jobId").asString());

        assertThat(ids(api, "from=2026-03-10&to=2026-03-11")).containsExactly(call.conversationId());
        assertThat(ids(api, "from=2026-03-09&to=2026-03-10")).isEmpty();
        assertThat(ok(api.get("/v1/conversations?from=2026-03-10&to=2026-03-11&include=total")).get("total")
                .asLong()).isEqualTo(1);
        assertThat(item(api, "").get("startTime").asString()).isEqualTo("2026-03-10T09:00:00Z");
        // the conversation itself says the same (it answered the appended message's earlier time, 2026-03-09, a
        // start that no range of the list or analytics found it by)
        assertThat(startOf(api, call.conversationId())).isEqualTo("2026-03-10T09:00:00Z");
        JsonNode figures = ok(api.get("/v1/analytics/trackers?from=2026-03-09&to=2026-03-11&interval=day"))
                .get("trackers").get(0);
        assertThat(figures.get("series").valueStream().map(day -> day.get("conversations").asInt()).toList())
                .containsExactly(0, 1);
    }

    @Test
    void aJobWhoseFirstMessageHasNoTimeStartsWhenItWasCreatedWhateverItsAppendsSay() {
        TestApi api = newAccount();
        Submitted call = submit(api, "{\"messages\": [{\"payload\": {\"content\": \"Hello there.\"}}]}");
        awaitCompleted(api, call.jobId());
        Instant created = Instant.parse(item(api, "").get("createdOn").asString());
        TestApi.Response appended = api.put("/v1/process/text/" + call.conversationId(), """
                {"messages": [{"payload": {"content": "Timed at last."},
                  "duration": {"startTime": "2026-03-09T09:00:00Z", "endTime": "2026-03-09T09:00:05Z"}}]}""");
        assertThat(appended.status()).as(String.valueOf(appended.body())).isEqualTo(201);
        awaitCompleted(api, appended.body().get("jobId").asString());

        assertThat(ids(api, range(created, created.plusMillis(1)))).containsExactly(call.conversationId());
        assertThat(ids(api, "from=2026-03-09&to=2026-03-10")).isEmpty();
        assertThat(startOf(api, call.conversationId())).as("the conversation's start, as the list has it")
                .isEqualTo(created.toString());
    }

    @Test
    void aConversationWithoutTimesStartsWhenItWasCreatedInItsOwnAnswerAsInTheList() {
        TestApi api = newAccount();
        Submitted call = submit(api, "{\"messages\": [{\"payload\": {\"content\": \"Hello there.\"}}]}");
        awaitCompleted(api, call.jobId());

        JsonNode conversation = ok(api.get("/v1/conversations/" + call.conversationId()));
        assertThat(conversation.get("startTime")).as("left out until 2026-11-29").isNotNull();
        assertThat(conversation.get("startTime")).isEqualTo(item(api, "").get("startTime"));
        assertThat(Instant.parse(conversation.get("startTime").asString()))
                .isEqualTo(Instant.parse(conversation.get("createdOn").asString()));
        assertThat(conversation.has("endTime")).as("no message has an end time").isFalse();
    }

    @Test
    void aTranscriptsConversationStartsAtItsFirstCue() {
        TestApi api = newAccount();
        TestApi.Response accepted = api.send(HttpMethod.POST,
                "/v1/process/text?startTime=2026-05-01T09:00:00Z", MediaType.valueOf("text/vtt"),
                "WEBVTT\n\n00:00:05.000 --> 00:00:08.000\n<v Ann>Hello, is this the billing team?\n");
        assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(201);
        String conversationId = accepted.body().get("conversationId").asString();

        assertThat(ids(api, range(Instant.parse("2026-05-01T09:00:05Z"), Instant.parse("2026-05-01T09:00:06Z"))))
                .containsExactly(conversationId);
        assertThat(ids(api, range(Instant.parse("2026-05-01T09:00:00Z"), Instant.parse("2026-05-01T09:00:05Z"))))
                .isEmpty();
    }

    /** The {@code startTime} that {@code GET /v1/conversations/{id}} answers, as an instant's text. */
    private static String startOf(TestApi api, String conversationId) {
        return Instant.parse(ok(api.get("/v1/conversations/" + conversationId)).get("startTime").asString())
                .toString();
    }

    private static String range(Instant from, Instant to) {
        return "from=" + from + "&to=" + to;
    }

    private static List<String> ids(TestApi api, String query) {
        return ok(api.get("/v1/conversations?" + query)).get("conversations").valueStream()
                .map(c -> c.get("id").asString()).toList();
    }

    /** The one conversation a query lists. */
    private static JsonNode item(TestApi api, String query) {
        JsonNode items = ok(api.get("/v1/conversations?" + query)).get("conversations");
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static JsonNode ok(TestApi.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
        return response.body();
    }
}
