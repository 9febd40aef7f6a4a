package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.SecondInstance;
import io.opentrackers.StoredConversationsTestSupport;
import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import io.opentrackers.account.AccountId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code DELETE /v1/conversations/{id}} against real PostgreSQL: everything stored from the conversation goes in one
 * transaction (messages, hits, sentence vectors, jobs and the notifications they sent, pending streamed sentences, its
 * share of analytics; notifications still owed to a receiver stay until sent), nobody else's conversation can be told from an unknown one, work still going on in it (a queued or
 * running job, a live stream, on this instance or another sharing the database) stops and stores nothing more, and
 * suggestions never offer one of its sentences again.
 */
class ConversationDeleteIT extends StoredConversationsTestSupport {

    @Autowired
    ConversationService conversations;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcConnectionDetails database;

    private static TestApi.Response delete(TestApi api, String conversationId) {
        return api.send(HttpMethod.DELETE, "/v1/conversations/" + conversationId, null, null);
    }

    private static AccountId account(TestApi api) {
        return new AccountId(UUID.fromString(api.accountId()));
    }

    private List<String> messageIds(String conversationId) {
        return jdbc.sql("select id from conversation_message where conversation_id = ? order by seq")
                .params(conversationId).query(String.class).list();
    }

    /** Rows of every table that holds something stored from the conversation, by table. */
    private Map<String, Integer> rowsOf(String conversationId, List<String> messageIds, String jobId) {
        String[] ids = messageIds.toArray(String[]::new);
        return Map.of(
                "conversation", count("select count(*) from conversation where id = ?", conversationId),
                "conversation_message", count("select count(*) from conversation_message where conversation_id = ?",
                        conversationId),
                "tracker_hit", count("select count(*) from tracker_hit where conversation_id = ? or message_id = any(?)",
                        conversationId, ids),
                "message_vector", count("select count(*) from message_vector where message_id = any(?)", (Object) ids),
                "job", count("select count(*) from job where conversation_id = ? or id = ?", conversationId, jobId),
                // a notification still owed to its receiver outlives the job (below); nothing else of it stays
                "webhook_delivery", count("select count(*) from webhook_delivery where job_id = ? and not job_deleted",
                        jobId));
    }

    /**
     * The rollups of the account next to a recount of its stored hits (as V11 first computed them): deleting must
     * leave them equal, as storing does.
     */
    private void assertRollupsAreARecountOfTheStoredHits(TestApi api) {
        List<String> daily = jdbc.sql("""
                select tracker_id || ' ' || day || ' ' || conversations || ' ' || hits || ' ' || agent_hits || ' '
                       || customer_hits
                from tracker_daily_stats where account_id = ? order by 1""")
                .params(account(api).value()).query(String.class).list();
        List<String> recount = jdbc.sql("""
                select p.tracker_id || ' ' || (s.started_on at time zone 'UTC')::date || ' '
                       || count(distinct p.conversation_id) || ' ' || count(*) || ' '
                       || count(*) filter (where m.from_role = 'agent') || ' '
                       || count(*) filter (where m.from_role = 'customer')
                from (select distinct conversation_id, message_id, tracker_id from tracker_hit) p
                join conversation_message m on m.id = p.message_id
                join conversation_start s on s.id = p.conversation_id
                where s.account_id = ?
                group by p.tracker_id, (s.started_on at time zone 'UTC')::date order by 1""")
                .params(account(api).value()).query(String.class).list();
        assertThat(daily).isEqualTo(recount);
        List<String> phrases = jdbc.sql("""
                select tracker_id || ' ' || day || ' ' || phrase || ' ' || hits from tracker_phrase_daily_stats
                where account_id = ? order by 1""").params(account(api).value()).query(String.class).list();
        List<String> phraseRecount = jdbc.sql("""
                select h.tracker_id || ' ' || (s.started_on at time zone 'UTC')::date || ' ' || h.phrase || ' ' || count(*)
                from tracker_hit h join conversation_start s on s.id = h.conversation_id
                where s.account_id = ?
                group by h.tracker_id, (s.started_on at time zone 'UTC')::date, h.phrase order by 1""")
                .params(account(api).value()).query(String.class).list();
        assertThat(phrases).isEqualTo(phraseRecount);
    }

    @Test
    void deletingRemovesEverythingStoredFromTheConversationAndNothingElse() {
        TestApi api = newAccount();
        String pricing = createTracker(api, "Pricing", "price", "cost");
        // notifications to a port nobody listens on stay pending, retried: they outlive the job until abandoned
        Submitted first = submit(api, """
                {"name": "Call A", "webhookUrl": "http://127.0.0.1:9/hooks",
                 "trackers": [{"id": "%s"}, {"name": "Only in A", "vocabulary": ["discount", "zebra crossing lights",
                              "purple volcano hat", "quantum sandwich fleet", "seventeen paper kites"]}],
                 "messages": [
                  {"payload": {"content": "Hello. What does the price cost?"}, "from": {"name": "Ann", "role": "customer"},
                   "duration": {"startTime": "2026-03-01T10:00:00Z", "endTime": "2026-03-01T10:00:05Z"}},
                  {"payload": {"content": "The price has a discount."}, "from": {"name": "Bob", "role": "agent"}}]}"""
                .formatted(pricing));
        Submitted second = submit(api, """
                {"name": "Call B", "messages": [
                  {"payload": {"content": "Is the price fair? Thanks for your time."},
                   "from": {"name": "Cy", "role": "customer"},
                   "duration": {"startTime": "2026-03-01T15:00:00Z", "endTime": "2026-03-01T15:00:03Z"}}]}""");
        awaitCompleted(api, first.jobId());
        awaitCompleted(api, second.jobId());
        // suggestions keep a vector of every stored sentence (message_vector)
        assertThat(api.suggestionTexts(pricing)).isNotEmpty();
        // an example labelled from one of its sentences: a copy of the text, which stays
        assertThat(api.post("/v1/manage/trackers/" + pricing + "/examples",
                "{\"text\": \"The price has a discount.\", \"match\": true}").status()).isEqualTo(201);
        List<String> firstMessages = messageIds(first.conversationId());
        List<String> secondMessages = messageIds(second.conversationId());
        Map<String, Integer> before = rowsOf(first.conversationId(), firstMessages, first.jobId());
        assertThat(before).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
        Map<String, Integer> otherBefore = rowsOf(second.conversationId(), secondMessages, second.jobId());
        JsonNode pricingBefore = figures(api, "Pricing");
        assertThat(pricingBefore.get("conversations").asInt()).isEqualTo(2);
        assertThat(figures(api, "Only in A")).isNotNull();

        TestApi.Response deleted = delete(api, first.conversationId());

        assertThat(deleted.status()).as(String.valueOf(deleted.body())).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo(TestApi.json("{\"id\": \"" + first.conversationId()
                + "\", \"type\": \"conversation\", \"deleted\": true}"));
        assertThat(rowsOf(first.conversationId(), firstMessages, first.jobId()))
                .allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
        // the job's notifications, written before the delete, are still owed to a receiver that does not answer:
        // kept (pending) until sent or abandoned, holding the URL and {"jobId","status"} only
        assertThat(jdbc.sql("select distinct state from webhook_delivery where job_id = ?").params(first.jobId())
                .query(String.class).list()).doesNotContain("delivered", "abandoned");
        assertThat(rowsOf(second.conversationId(), secondMessages, second.jobId())).isEqualTo(otherBefore);
        for (String path : List.of("", "/messages", "/trackers", "/trackers-detected")) {
            TestApi.Response gone = api.get("/v1/conversations/" + first.conversationId() + path);
            assertThat(gone.status()).as(path).isEqualTo(404);
        }
        TestApi.Response job = api.get("/v1/job/" + first.jobId());
        assertThat(job.status()).isEqualTo(404);
        assertThat(job.body().get("detail").asString())
                .isEqualTo("Job '" + first.jobId() + "' not found (a job is deleted with its conversation)");
        assertThat(api.get("/v1/conversations").body().get("conversations").valueStream()
                .map(c -> c.get("id").asString())).containsExactly(second.conversationId());

        // analytics counts the other conversation only; the tracker only the deleted one hit is no longer listed
        JsonNode pricingAfter = figures(api, "Pricing");
        assertThat(pricingAfter.get("conversations").asInt()).isEqualTo(1);
        assertThat(pricingAfter.get("hits").asInt()).isEqualTo(1);
        assertThat(pricingAfter.get("bySpeaker")).isEqualTo(TestApi.json(
                "{\"agent\": 0, \"customer\": 1, \"unknown\": 0}"));
        assertThat(pricingAfter.get("topPhrases")).isEqualTo(TestApi.json("[{\"value\": \"price\", \"hits\": 1}]"));
        assertThat(figures(api, "Only in A")).isNull();
        assertRollupsAreARecountOfTheStoredHits(api);

        // a sentence holding a phrase literally is never suggested: of the other conversation, one is left
        assertThat(api.suggestionTexts(pricing)).containsExactly("Thanks for your time.");
        assertThat(api.get("/v1/manage/trackers/" + pricing + "/examples").body().get("examples").valueStream()
                .map(e -> e.get("text").asString())).containsExactly("The price has a discount.");
        // deleted once: a second delete finds nothing
        assertThat(delete(api, first.conversationId()).status()).isEqualTo(404);
    }

    @Test
    void anotherAccountsConversationIsNotFoundExactlyLikeAnUnknownOne() {
        TestApi owner = newAccount();
        TestApi other = newAccount();
        Submitted call = submit(owner, """
                {"messages": [{"payload": {"content": "Hello there."}}]}""");
        awaitCompleted(owner, call.jobId());
        String unknown = UUID.randomUUID().toString();

        TestApi.Response foreign = delete(other, call.conversationId());
        TestApi.Response missing = delete(other, unknown);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(foreign.body().get("detail").asString())
                .isEqualTo("Conversation '" + call.conversationId() + "' not found");
        assertThat(missing.body().get("detail").asString()).isEqualTo("Conversation '" + unknown + "' not found");
        // the same document but for the id it names
        assertThat(foreign.body().toString().replace(call.conversationId(), "ID"))
                .isEqualTo(missing.body().toString().replace(unknown, "ID"));
        assertThat(owner.get("/v1/conversations/" + call.conversationId()).status()).isEqualTo(200);
        assertThat(messageIds(call.conversationId())).hasSize(1);
    }

    /**
     * An id that cannot be a conversation's is answered as the GET of the same path answers it. The paths are sent as
     * written (percent-encodings included), as curl sends them.
     */
    @Test
    void aMalformedIdIsAnsweredAsItsGetIs() throws Exception {
        TestApi api = newAccount();
        HttpClient client = HttpClient.newHttpClient();
        List<String> statuses = new ArrayList<>();
        for (String id : List.of("no-such-conversation", "x".repeat(300), "caf%C3%A9%20au%20lait", "a;b", "%00",
                "a%2Fb", "%C0%AF", "%25")) {
            JsonNode get = null;
            int getStatus = 0;
            for (String method : List.of("GET", "DELETE")) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/v1/conversations/" + id))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + api.token()).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode body = TestApi.json(response.body());
                if (method.equals("GET")) {
                    get = body;
                    getStatus = response.statusCode();
                    continue;
                }
                assertThat(response.statusCode()).as(id).isEqualTo(getStatus).isBetween(400, 499);
                assertThat(body.get("type")).as(id).isEqualTo(get.get("type"));
                assertThat(body.get("detail")).as(id).isEqualTo(get.get("detail"));
                statuses.add(response.statusCode() + " " + id);
            }
        }
        // both kinds occur: ids that reach the lookup (404) and paths refused before any endpoint (400)
        assertThat(statuses).anyMatch(s -> s.startsWith("404")).anyMatch(s -> s.startsWith("400"));
    }

    /** The answer is JSON: a client that accepts none is refused before anything is deleted. */
    @Test
    void anAcceptWithoutJsonIsRefusedAndNothingIsDeleted() {
        TestApi api = newAccount();
        Submitted call = submit(api, """
                {"messages": [{"payload": {"content": "Hello there."}}]}""");
        awaitCompleted(api, call.jobId());
        int status = RestClient.create("http://localhost:" + port).delete()
                .uri("/v1/conversations/" + call.conversationId())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + api.token()).header(HttpHeaders.ACCEPT, "text/html")
                .retrieve().onStatus(s -> true, (request, response) -> { }).toBodilessEntity().getStatusCode().value();
        assertThat(status).isEqualTo(406);
        assertThat(api.get("/v1/conversations/" + call.conversationId()).status()).isEqualTo(200);
    }

    private double runs(String outcome) {
        Timer timer = meters.find("trackers.jobs.run").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    /**
     * Deleting is not refused for work in progress: a queued job never runs, a running one stops at its batch without
     * failing or storing anything, and the job whose conversation stays completes as if nothing happened.
     */
    @Test
    void aQueuedOrRunningJobIsStoppedAndStoresNothingMore() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price", "cost");
        double deletedBefore = runs("deleted");
        double failedBefore = runs("failed");
        detector.hold();
        Submitted running;
        Submitted kept;
        Submitted queued;
        try {
            // two workers: the first two jobs run (and wait in the detector), the third waits for a worker
            running = submit(api, """
                    {"messages": [{"payload": {"content": "[hold] What is the price? The cost is high."}}]}""");
            kept = submit(api, """
                    {"messages": [{"payload": {"content": "[hold] The price is fair."}}]}""");
            await("both jobs running", () -> jobStatus(api, running.jobId()).equals("in_progress")
                    && jobStatus(api, kept.jobId()).equals("in_progress"));
            queued = submit(api, """
                    {"messages": [{"payload": {"content": "The price again."}}]}""");
            assertThat(jobStatus(api, queued.jobId())).isEqualTo("scheduled");
            List<String> runningMessages = messageIds(running.conversationId());
            List<String> queuedMessages = messageIds(queued.conversationId());

            assertThat(delete(api, queued.conversationId()).status()).isEqualTo(200);
            assertThat(delete(api, running.conversationId()).status()).isEqualTo(200);

            assertThat(api.get("/v1/job/" + running.jobId()).status()).isEqualTo(404);
            assertThat(api.get("/v1/job/" + queued.jobId()).status()).isEqualTo(404);
            detector.release();
            await("the running job stops", () -> runs("deleted") > deletedBefore);
            awaitCompleted(api, kept.jobId());
            assertThat(rowsOf(running.conversationId(), runningMessages, running.jobId()))
                    .allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
            assertThat(rowsOf(queued.conversationId(), queuedMessages, queued.jobId()))
                    .allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
        } finally {
            detector.release();
        }
        assertThat(runs("deleted")).isEqualTo(deletedBefore + 1);
        assertThat(runs("failed")).isEqualTo(failedBefore);
        assertThat(api.get("/v1/conversations/" + kept.conversationId() + "/trackers").body()).hasSize(1);
        assertThat(api.get("/v1/conversations").body().get("conversations").valueStream()
                .map(c -> c.get("id").asString())).containsExactly(kept.conversationId());
        assertRollupsAreARecountOfTheStoredHits(api);
    }

    private static String message(String text) {
        return "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"" + text
                + "\"},\"isFinal\":true}]}";
    }

    private static String error(TestSocket socket) {
        JsonNode frame = socket.next();
        assertThat(frame.path("message").path("type").asString()).as(frame.toString()).isEqualTo("error");
        return frame.path("message").path("details").asString();
    }

    @Test
    void aLiveStreamIsToldAtOnceAndStoresNothingMore() {
        TestApi api = newAccount();
        try (TestSocket socket = TestSocket.open(streaming(port, api), Map.of())) {
            String conversationId = startStream(socket);
            socket.send(message("We have no budget."));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(socket.next().path("type").asString()).isEqualTo("tracker_response");
            await("the hits stored", () -> count("select count(*) from tracker_hit where conversation_id = ?",
                    conversationId) == 1);

            assertThat(delete(api, conversationId).status()).isEqualTo(200);

            String notice = "Conversation '" + conversationId + "' was deleted (DELETE /v1/conversations/"
                    + conversationId + "): this stream stores and tracks nothing more. Send stop_request, then "
                    + "start_request for a new conversation";
            assertThat(error(socket)).isEqualTo(notice);
            socket.send(message("The money ran out."));
            assertThat(error(socket)).isEqualTo(notice);
            socket.send("{\"type\":\"stop_request\"}");
            assertThat(socket.next().path("message").path("type").asString()).isEqualTo("conversation_completed");
            assertThat(socket.none(Duration.ofMillis(300))).isNull();
            assertThat(count("select count(*) from conversation_message where conversation_id = ?", conversationId))
                    .isZero();
            assertThat(api.get("/v1/conversations/" + conversationId).status()).isEqualTo(404);

            // the connection goes on: a new stream is a new conversation
            String next = startStream(socket);
            assertThat(next).isNotEqualTo(conversationId);
            socket.send(message("We have no budget."));
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
        }
    }

    /** Sentences a stream stored awaiting detection go with their conversation: nothing is left to recover. */
    @Test
    void streamedSentencesAwaitingDetectionGoWithTheirConversation() {
        TestApi api = newAccount();
        Conversation streamed = conversations.createStreaming(account(api), null, List.of());
        conversations.appendAwaitingDetection(account(api), streamed.id(),
                conversations.sentences(List.of(new NewMessage("We have no budget. None at all.", null, null, null))));
        assertThat(count("select count(*) from conversation_message where conversation_id = ? and detection_pending",
                streamed.id())).isEqualTo(2);

        assertThat(delete(api, streamed.id()).status()).isEqualTo(200);

        assertThat(count("select count(*) from conversation_message where conversation_id = ?", streamed.id()))
                .isZero();
        assertThat(conversations.pendingDetections(Instant.now().plusSeconds(3600), 10_000))
                .noneMatch(pending -> pending.conversationId().equals(streamed.id()));
    }

    /**
     * A second instance on the same database: its cache of the account's sentences must notice the delete even when
     * the account then stores as many sentences as it deleted (the number of sentences alone is back where it was),
     * and a stream it holds on the deleted conversation learns it at its next message.
     */
    @Test
    void aSecondInstanceNoticesTheDeleteInItsSuggestionsAndItsStreams() {
        TestApi api = newAccount();
        String money = createTracker(api, "Money", "I don't have any money", "my account is empty");
        Submitted lisbon = submit(api, """
                {"messages": [{"payload": {"content": "The weather in Lisbon was lovely."}}]}""");
        awaitCompleted(api, lisbon.jobId());
        try (ConfigurableApplicationContext second = SecondInstance.start(database)) {
            int secondPort = SecondInstance.port(second);
            TestApi there = TestApi.sameAccountOn(api, "http://localhost:" + secondPort);
            assertThat(there.suggestionTexts(money)).containsExactly("The weather in Lisbon was lovely.");
            assertThat(api.suggestionTexts(money)).containsExactly("The weather in Lisbon was lovely.");

            try (TestSocket socket = TestSocket.open(streaming(secondPort, api), Map.of())) {
                String streamed = startStream(socket);
                socket.send(message("Hello."));
                assertThat(socket.next().path("type").asString()).isEqualTo("message_response");

                assertThat(delete(api, lisbon.conversationId()).status()).isEqualTo(200);
                assertThat(delete(api, streamed).status()).isEqualTo(200);
                // one sentence deleted, one stored: as many as before
                Submitted rent = submit(api, """
                        {"messages": [{"payload": {"content": "I can't afford the rent this month."}}]}""");
                awaitCompleted(api, rent.jobId());

                assertThat(there.suggestionTexts(money)).containsExactly("I can't afford the rent this month.");
                assertThat(api.suggestionTexts(money)).containsExactly("I can't afford the rent this month.");
                // the instance holding the stream was not told: it learns it when it stores the next message
                socket.send(message("We have no budget."));
                assertThat(error(socket)).startsWith("Conversation '" + streamed + "' was deleted");
                assertThat(count("select count(*) from conversation_message where conversation_id = ?", streamed))
                        .isZero();
            }
        }
    }
}
