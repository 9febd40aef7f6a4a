package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.StoredConversationsTestSupport;
import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import io.opentrackers.account.AccountId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code trackers.conversations.retention} against real PostgreSQL: a round deletes the conversations whose last
 * activity is older than the retention exactly as {@code DELETE /v1/conversations/{id}} does (messages, hits, sentence
 * vectors, jobs, analytics, suggestions), and keeps the recent ones, those a job still has to process and those a
 * live stream writes to; without a retention nothing is deleted. Conversations are aged by moving their
 * {@code updated_on} back, and a round is run by calling it.
 */
class ConversationRetentionIT extends StoredConversationsTestSupport {

    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    @Autowired
    ConversationService conversations;

    @Autowired
    ConversationRetention configured;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ConversationRepository repository;

    @Autowired
    JsonMapper json;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    ConversationJobs jobs;

    /** A chore as an instance with {@code trackers.conversations.retention=<retention>} runs it. */
    private ConversationRetention retention(Duration retention) {
        return new ConversationRetention(conversations, new ConversationProperties(retention, Duration.ofHours(1)),
                meters);
    }

    /** The conversation's last activity moves {@code days} back, as if nothing had happened in it since. */
    private void age(String conversationId, int days) {
        assertThat(jdbc.sql("update conversation set updated_on = now() - make_interval(days => ?) where id = ?")
                .params(days, conversationId).update()).isEqualTo(1);
    }

    private double deletedByRetention() {
        return meters.get("trackers.conversations.retention.deleted").counter().count();
    }

    /** What other tests of this service left due (aged by them) goes first, so that each test counts its own. */
    @BeforeEach
    void nothingIsDueYet() {
        retention(THIRTY_DAYS).deleteDue();
    }

    @Test
    void aConversationInactiveForLongerThanTheRetentionIsDeletedAsTheApiDeletesIt() {
        TestApi api = newAccount();
        String pricing = createTracker(api, "Pricing", "price", "cost");
        Submitted old = submit(api, """
                {"name": "Old call", "messages": [
                  {"payload": {"content": "Hello. What does the price cost?"},
                   "from": {"name": "Ann", "role": "customer"},
                   "duration": {"startTime": "2026-03-01T10:00:00Z", "endTime": "2026-03-01T10:00:05Z"}}]}""");
        Submitted recent = submit(api, """
                {"name": "Recent call", "messages": [
                  {"payload": {"content": "Is the price fair? Thanks for your time."},
                   "from": {"name": "Cy", "role": "customer"},
                   "duration": {"startTime": "2026-03-01T15:00:00Z", "endTime": "2026-03-01T15:00:03Z"}}]}""");
        awaitCompleted(api, old.jobId());
        awaitCompleted(api, recent.jobId());
        // suggestions keep a vector of every stored sentence; an example taught from one of the old call's sentences
        assertThat(api.suggestionTexts(pricing)).contains("Hello.", "Thanks for your time.");
        assertThat(api.post("/v1/manage/trackers/" + pricing + "/examples",
                "{\"text\": \"Hello.\", \"match\": false}").status()).isEqualTo(201);
        assertThat(figures(api, "Pricing").get("conversations").asInt()).isEqualTo(2);
        assertThat(count("select count(*) from message_vector v join conversation_message m on m.id = v.message_id "
                + "where m.conversation_id = ?", old.conversationId())).isPositive();
        age(old.conversationId(), 31);
        age(recent.conversationId(), 29);
        double deletedBefore = deletedByRetention();

        int deleted = retention(THIRTY_DAYS).deleteDue();

        assertThat(deleted).isEqualTo(1);
        assertThat(deletedByRetention()).isEqualTo(deletedBefore + 1);
        for (String path : List.of("", "/messages", "/trackers", "/trackers-detected")) {
            assertThat(api.get("/v1/conversations/" + old.conversationId() + path).status()).as(path).isEqualTo(404);
        }
        assertThat(api.get("/v1/job/" + old.jobId()).status()).isEqualTo(404);
        assertThat(count("select count(*) from conversation_message where conversation_id = ?", old.conversationId()))
                .isZero();
        assertThat(count("select count(*) from tracker_hit where conversation_id = ?", old.conversationId())).isZero();
        assertThat(count("select count(*) from job where conversation_id = ?", old.conversationId())).isZero();
        // the recent one is whole
        assertThat(api.get("/v1/conversations/" + recent.conversationId()).status()).isEqualTo(200);
        assertThat(api.get("/v1/conversations/" + recent.conversationId() + "/trackers").body()).hasSize(1);
        assertThat(api.get("/v1/conversations").body().get("conversations").valueStream()
                .map(c -> c.get("id").asString())).containsExactly(recent.conversationId());
        // analytics and suggestions no longer count or offer the deleted call
        JsonNode pricingAfter = figures(api, "Pricing");
        assertThat(pricingAfter.get("conversations").asInt()).isEqualTo(1);
        assertThat(pricingAfter.get("hits").asInt()).isEqualTo(1);
        assertThat(api.suggestionTexts(pricing)).containsExactly("Thanks for your time.");
        // the tracker's example is the tracker's own copy of the text: it stays
        assertThat(api.get("/v1/manage/trackers/" + pricing + "/examples").body().get("examples").valueStream()
                .map(e -> e.get("text").asString())).containsExactly("Hello.");
        // nothing more is due
        assertThat(retention(THIRTY_DAYS).deleteDue()).isZero();
    }

    /**
     * Work still going on is never taken away: a conversation whose job runs or waits for a worker, and one a live
     * stream writes to (a stream may stay open without sending messages, so its last activity can be old), are kept
     * in the round that deletes an old finished one; the job's conversations go in the first round after their jobs
     * finished.
     */
    @Test
    void conversationsWithAJobToFinishOrALiveStreamAreKept() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price", "cost");
        Submitted done = submit(api, """
                {"messages": [{"payload": {"content": "The price was agreed."}}]}""");
        awaitCompleted(api, done.jobId());
        detector.hold();
        Submitted running;
        Submitted queued;
        try (TestSocket socket = TestSocket.open(streaming(port, api), Map.of())) {
            String streamed = startStream(socket);
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"We have no budget.\"},"
                    + "\"isFinal\":true}]}");
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            assertThat(socket.next().path("type").asString()).isEqualTo("tracker_response");
            // two workers: both run (and wait in the detector), the third job waits for a worker
            running = submit(api, """
                    {"messages": [{"payload": {"content": "[hold] What is the price?"}}]}""");
            Submitted alsoRunning = submit(api, """
                    {"messages": [{"payload": {"content": "[hold] The cost is high."}}]}""");
            await("both jobs running", () -> jobStatus(api, running.jobId()).equals("in_progress")
                    && jobStatus(api, alsoRunning.jobId()).equals("in_progress"));
            queued = submit(api, """
                    {"messages": [{"payload": {"content": "The price again."}}]}""");
            assertThat(jobStatus(api, queued.jobId())).isEqualTo("scheduled");
            for (String id : List.of(done.conversationId(), running.conversationId(), queued.conversationId(),
                    streamed)) {
                age(id, 400);
            }

            int deleted = retention(THIRTY_DAYS).deleteDue();

            assertThat(deleted).isEqualTo(1);
            assertThat(api.get("/v1/conversations/" + done.conversationId()).status()).isEqualTo(404);
            assertThat(api.get("/v1/conversations/" + running.conversationId()).status()).isEqualTo(200);
            assertThat(api.get("/v1/conversations/" + queued.conversationId()).status()).isEqualTo(200);
            assertThat(api.get("/v1/conversations/" + streamed).status()).isEqualTo(200);
            assertThat(jobStatus(api, queued.jobId())).isEqualTo("scheduled");
            // the stream goes on as if nothing happened
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"The money ran out.\"},"
                    + "\"isFinal\":true}]}");
            assertThat(socket.next().path("type").asString()).isEqualTo("message_response");
            detector.release();
            awaitCompleted(api, running.jobId());
            awaitCompleted(api, alsoRunning.jobId());
            awaitCompleted(api, queued.jobId());
        } finally {
            detector.release();
        }
        // finished since (processing is no activity: the conversations are as old as before)
        assertThat(retention(THIRTY_DAYS).deleteDue()).isEqualTo(2);
        assertThat(api.get("/v1/conversations/" + running.conversationId()).status()).isEqualTo(404);
        assertThat(api.get("/v1/conversations/" + queued.conversationId()).status()).isEqualTo(404);
    }

    /** Unset (the default, as in this test's service) or 0: conversations are kept for ever, however old. */
    @Test
    void withoutARetentionNothingIsDeleted() {
        TestApi api = newAccount();
        Submitted call = submit(api, """
                {"messages": [{"payload": {"content": "The price was agreed."}}]}""");
        awaitCompleted(api, call.jobId());
        age(call.conversationId(), 3650);

        assertThat(configured.deleteDue()).isZero();
        assertThat(retention(Duration.ZERO).deleteDue()).isZero();

        assertThat(api.get("/v1/conversations/" + call.conversationId()).status()).isEqualTo(200);
        assertThat(count("select count(*) from conversation_message where conversation_id = ?",
                call.conversationId())).isEqualTo(1);
    }

    /**
     * The live-stream mark serves the retention alone, so an instance without one (this test's service) does not
     * renew it: no write a minute for nothing. Restarted with a retention, an instance marks the conversations of its
     * live streams again, and its round spares them however old their last activity.
     */
    @Test
    void withoutARetentionLiveStreamsAreNotMarkedAndWithOneTheyAreKept() {
        TestApi api = newAccount();
        try (TestSocket socket = TestSocket.open(streaming(port, api), Map.of())) {
            String streamed = startStream(socket);
            jdbc.sql("update conversation set live_stream_until = now() - interval '1 minute' where id = ?")
                    .params(streamed).update();

            conversations.markLiveStreams(List.of(streamed));

            assertThat(markedLive(streamed)).as("not renewed without a retention").isFalse();

            ConversationService withRetention = new ConversationService(repository, json, Clock.systemUTC(), events,
                    jobs, new ConversationProperties(THIRTY_DAYS, Duration.ofHours(1)));
            withRetention.markLiveStreams(List.of(streamed));
            age(streamed, 400);

            assertThat(markedLive(streamed)).as("renewed by an instance with a retention").isTrue();
            assertThat(retention(THIRTY_DAYS).deleteDue()).isZero();
            assertThat(api.get("/v1/conversations/" + streamed).status()).isEqualTo(200);
        }
    }

    private boolean markedLive(String conversationId) {
        return jdbc.sql("select coalesce(live_stream_until > now(), false) from conversation where id = ?")
                .params(conversationId).query(Boolean.class).single();
    }

    /**
     * Instances sharing the database run their rounds whenever they like: two at once over the same old conversations
     * delete each exactly once between them, and neither fails.
     */
    @Test
    void twoInstancesDeletingAtOnceDeleteEachConversationOnce() throws Exception {
        TestApi api = newAccount();
        AccountId account = new AccountId(UUID.fromString(api.accountId()));
        int total = ConversationRetention.PAGE + 50; // more than a page, so both page on past each other's
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String id = conversations.create(account, "Call " + i, Conversation.SOURCE_ASYNC).id();
            conversations.append(account, id, List.of(new NewMessage("The price was agreed.", null, null, null)));
            ids.add(id);
        }
        jdbc.sql("update conversation set updated_on = now() - interval '40 days' where id = any(?)")
                .params((Object) ids.toArray(String[]::new)).update();
        ConversationRetention first = retention(THIRTY_DAYS);
        ConversationRetention second = retention(THIRTY_DAYS);
        double deletedBefore = deletedByRetention();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> rounds = pool.invokeAll(List.<Callable<Integer>>of(first::deleteDue,
                    second::deleteDue));
            assertThat(rounds.get(0).get() + rounds.get(1).get()).isEqualTo(total);
        } finally {
            pool.shutdownNow();
        }
        assertThat(deletedByRetention()).isEqualTo(deletedBefore + total);
        assertThat(count("select count(*) from conversation where id = any(?)", (Object) ids.toArray(String[]::new)))
                .isZero();
        assertThat(count("select deletions from conversation_deletions where account_id = ?", account.value()))
                .isEqualTo(total);
    }
}
