package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A job stores each batch while it detects the next one (JobRunner's pipeline). What users rely on stays as with
 * one batch after the other: messages and hits are stored in conversation order, each hit once; a failure or a lost
 * lease in the middle of a job leaves exactly the batches committed before it (progress and hits agree) and nothing
 * of the batch that broke. 600 one-sentence messages make three batches of {@code trackers.jobs.batch-size} (256).
 */
class JobPipelineIT extends AsyncApiTestSupport {

    static final int MESSAGES = 600;
    static final int BATCH = 256;

    @RegisterExtension
    final CapturedLog runnerLog = new CapturedLog(JobRunner.class);

    @AfterEach
    void releaseTheDetector() {
        detector.release();
    }

    /** One-sentence messages that all mention the price; {@code marked} (1-based) carries {@code marker} too. */
    private static String messages(int marked, String marker) {
        return "{\"messages\": [" + String.join(", ", IntStream.rangeClosed(1, MESSAGES)
                .mapToObj(i -> "{\"payload\": {\"content\": \"Message " + i + " asks for the price"
                        + (i == marked ? " " + marker : "") + ".\"}}")
                .toList()) + "]}";
    }

    private List<Integer> hitSequencesInStoringOrder(String conversationId) {
        return jdbc.sql("""
                select m.seq from tracker_hit h join conversation_message m on m.id = h.message_id
                where h.conversation_id = :id order by h.id""")
                .param("id", conversationId).query(Integer.class).list();
    }

    /** A job of 600 messages whose second batch's detection is held, once its first batch is committed. */
    private HeldJob heldAfterItsFirstBatch(TestApi api) {
        createTracker(api, "Pricing", "price");
        detector.hold();
        // message 300 holds the second batch's detection: the first batch is stored meanwhile
        TestApi.Response accepted = api.post("/v1/process/text", messages(300, "[hold]"));
        String jobId = accepted.body().get("jobId").asString();
        long deadline = System.currentTimeMillis() + 30_000;
        while (progress(api, jobId).get("progress").get("done").asInt() < BATCH) {
            assertThat(System.currentTimeMillis()).as("the first batch is committed").isLessThan(deadline);
            sleep(20);
        }
        return new HeldJob(jobId, accepted.body().get("conversationId").asString());
    }

    private record HeldJob(String jobId, String conversationId) {
    }

    private JsonNode progress(TestApi api, String jobId) {
        return api.get("/v1/job/" + jobId).body();
    }

    @Test
    void aJobOfSeveralBatchesStoresItsMessagesAndHitsInConversationOrderEachOnce() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        TestApi.Response accepted = api.post("/v1/process/text", messages(0, ""));
        assertThat(accepted.status()).isEqualTo(201);
        String conversationId = accepted.body().get("conversationId").asString();

        JsonNode job = awaitJob(api, accepted.body().get("jobId").asString(), "completed");

        assertThat(job.get("progress")).isEqualTo(TestApi.json("{\"done\":600,\"total\":600}"));
        JsonNode stored = api.get("/v1/conversations/" + conversationId + "/messages").body();
        assertThat(texts(stored)).containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES)
                .mapToObj(i -> "Message " + i + " asks for the price.").toList());
        assertThat(stored.get("messages").valueStream().map(m -> m.get("sequence").asInt()).toList())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).boxed().toList());
        // hits were inserted batch after batch, each batch's in message order
        assertThat(hitSequencesInStoringOrder(conversationId))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).boxed().toList());
        JsonNode refs = api.get("/v1/conversations/" + conversationId + "/trackers").body()
                .get(0).get("matches").get(0).get("messageRefs");
        assertThat(refs.valueStream().map(r -> r.get("id").asString()).toList()).containsExactlyElementsOf(
                stored.get("messages").valueStream().map(m -> m.get("id").asString()).toList());
    }

    @Test
    void aFailureWhileTheBatchBeforeIsBeingStoredLeavesExactlyTheCommittedBatches() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        // message 550 is in the third batch, detected while the second is being stored
        TestApi.Response accepted = api.post("/v1/process/text", messages(550, "[fail]"));
        String conversationId = accepted.body().get("conversationId").asString();

        JsonNode job = awaitJob(api, accepted.body().get("jobId").asString(), "failed");

        assertThat(job.get("error").asString()).contains("test detector asked to fail");
        assertThat(job.get("progress")).as("the two batches before the failing one committed")
                .isEqualTo(TestApi.json("{\"done\":512,\"total\":600}"));
        assertThat(hitSequencesInStoringOrder(conversationId)).as("their hits and nothing of the failed batch")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 2 * BATCH).boxed().toList());
    }

    @Test
    void aWorkerThatLostTheLeaseWhileDetectingStoresNothingMore() {
        TestApi api = newAccount();
        HeldJob held = heldAfterItsFirstBatch(api);
        String jobId = held.jobId();
        String conversationId = held.conversationId();
        long deadline = System.currentTimeMillis() + 30_000;

        // another instance takes the job over (as after an expired lease) while this one is detecting
        jdbc.sql("update job set lease_owner = 'another-instance', lease_until = now() + interval '1 hour' "
                + "where id = :id").param("id", jobId).update();
        detector.release();
        while (runnerLog.events().stream().noneMatch(e -> e.getFormattedMessage().equals(
                "Lost the lease of job " + jobId + "; another instance continues it"))) {
            assertThat(System.currentTimeMillis()).as("the worker notices the lost lease").isLessThan(deadline);
            sleep(20);
        }

        JsonNode job = progress(api, jobId);
        assertThat(job.get("status").asString()).isEqualTo("in_progress");
        assertThat(job.get("progress")).isEqualTo(TestApi.json("{\"done\":256,\"total\":600}"));
        assertThat(hitSequencesInStoringOrder(conversationId))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, BATCH).boxed().toList());
        assertThat(jdbc.sql("select lease_owner from job where id = :id").param("id", jobId).query(String.class)
                .single()).isEqualTo("another-instance");
    }

    /**
     * What docs/api.md tells a client polling a long job: the Conversation API answers the hits of each batch as it
     * commits, so while the job is {@code in_progress} they are those of its first {@code progress.done} messages,
     * and nothing of the batch still being detected (the page said hits appeared only once the job had completed).
     */
    @Test
    void whileAJobRunsTheConversationApiAnswersTheHitsOfItsCommittedBatches() {
        TestApi api = newAccount();
        HeldJob held = heldAfterItsFirstBatch(api);
        String jobId = held.jobId();
        String conversationId = held.conversationId();

        JsonNode running = progress(api, jobId);
        assertThat(running.get("status").asString()).isEqualTo("in_progress");
        assertThat(running.get("progress")).isEqualTo(TestApi.json("{\"done\":256,\"total\":600}"));
        JsonNode messages = api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages");
        List<String> firstBatch = messages.valueStream().limit(BATCH).map(m -> m.get("id").asString()).toList();
        for (String path : List.of("/trackers", "/trackers-detected")) {
            JsonNode hits = api.get("/v1/conversations/" + conversationId + path).body();
            assertThat(hits.size()).as(path).isEqualTo(1);
            assertThat(hits.get(0).get("matches").get(0).get("messageRefs").valueStream()
                    .map(r -> r.get("id").asString()).toList())
                    .as("%s: the hits of the committed batch, and none of the one being detected", path)
                    .containsExactlyElementsOf(firstBatch);
        }

        detector.release();
        awaitJob(api, jobId, "completed");
        assertThat(api.get("/v1/conversations/" + conversationId + "/trackers").body().get(0).get("matches").get(0)
                .get("messageRefs").size()).isEqualTo(MESSAGES);
    }

    /**
     * A job of one message of 50,000 sentences read 9.9 million rows: each batch read the whole message again to give
     * its sentences their context. A message that runs over several batches is read once, and all its sentences
     * are matched in that one copy of it.
     */
    @Test
    void aMessageThatRunsOverSeveralBatchesIsReadOnceForAllOfThem() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        String oneLongMessage = IntStream.rangeClosed(1, MESSAGES)
                .mapToObj(i -> "Sentence " + i + " asks for the price [copies].").collect(Collectors.joining(" "));
        TestApi.Response accepted = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"" + oneLongMessage + "\"}}]}");
        assertThat(accepted.status()).isEqualTo(201);

        JsonNode job = awaitJob(api, accepted.body().get("jobId").asString(), "completed");

        assertThat(job.get("progress")).isEqualTo(TestApi.json("{\"done\":600,\"total\":600}"));
        assertThat(detector.copiesOfWholeMessages()).as("copies of the message its three batches were matched in")
                .isEqualTo(1);
        assertThat(hitSequencesInStoringOrder(accepted.body().get("conversationId").asString()))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).boxed().toList());
    }
}

