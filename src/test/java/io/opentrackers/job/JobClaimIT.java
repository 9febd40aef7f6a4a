package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.Conversation;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Claiming: racing claimers (as several instances would) never share a job; poison jobs end. */
class JobClaimIT extends AsyncApiTestSupport {

    @Autowired
    JobRepository jobs;

    @Autowired
    ConversationService conversations;

    @Test
    void concurrentClaimersTakeEachJobExactlyOnce() throws Exception {
        AccountId account = AccountId.parse(newAccount().accountId());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Conversation conversation = conversations.create(account, null, Conversation.SOURCE_ASYNC);
            int seq = conversations.append(account, conversation.id(),
                    List.of(new NewMessage("Message " + i, null, null, null))).get(0).sequence();
            String id = UUID.randomUUID().toString();
            jobs.insert(id, account, conversation.id(), "[]", "{}", seq, seq, null, Instant.now(), null);
            ids.add(id);
        }

        // six "instances" claim as fast as they can; the service's own worker competes too
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        List<String> duplicates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> claimers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            String owner = "test-instance-" + t;
            claimers.add(pool.submit(() -> {
                for (var job = jobs.claim(owner, Duration.ofMinutes(1)); job.isPresent();
                        job = jobs.claim(owner, Duration.ofMinutes(1))) {
                    if (claimedBy.putIfAbsent(job.get().id(), owner) != null) {
                        synchronized (duplicates) {
                            duplicates.add(job.get().id());
                        }
                    }
                }
            }));
        }
        for (Future<?> claimer : claimers) {
            claimer.get();
        }
        pool.shutdown();

        assertThat(duplicates).isEmpty();
        assertThat(claimedBy.keySet()).isSubsetOf(ids);
        // a claimer stops at its first empty answer, which it also gets while the service's own worker holds the
        // last job's row in a claim not yet committed: wait for that claim to commit before reading the attempts
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && jdbc.sql("select count(*) from job where id in (:ids) and attempts = 0")
                .param("ids", ids).query(Integer.class).single() > 0) {
            Thread.sleep(20);
        }
        List<Integer> attempts = jdbc.sql("select attempts from job where id in (:ids)").param("ids", ids)
                .query(Integer.class).list();
        assertThat(attempts).hasSize(40).containsOnly(1);
        claimedBy.forEach((id, owner) -> jobs.finish(id, owner, JobStatus.COMPLETED, null));
    }

    @Test
    void aJobWhoseWorkersKeptDyingIsFailedInsteadOfRetriedForever() {
        TestApi api = newAccount();
        AccountId account = AccountId.parse(api.accountId());
        Conversation conversation = conversations.create(account, null, Conversation.SOURCE_ASYNC);
        conversations.append(account, conversation.id(), List.of(new NewMessage("Hello", null, null, null)));
        String id = UUID.randomUUID().toString();
        jobs.insert(id, account, conversation.id(), "[]", "{}", 1, 1, null, Instant.now(), null);
        // three instances claimed it and died (trackers.jobs.max-attempts defaults to 3)
        jdbc.sql("""
                update job set status = 'in_progress', attempts = 3, lease_owner = 'dead-instance',
                    lease_until = now() - interval '1 second' where id = :id""").param("id", id).update();

        JsonNode job = awaitJob(api, id, "failed");
        assertThat(job.get("error").asString()).contains("interrupted 3 times");
    }

    @Autowired
    org.springframework.transaction.support.TransactionTemplate transaction;

    /**
     * One account's backlog does not hold every worker: the next job claimed is the oldest one of the account with
     * the fewest jobs running, so a second account's job starts before the first account's next one. (Before, the
     * oldest job anywhere came first: five big jobs of one account took both workers of an instance until done.) In
     * one transaction that is rolled back, so that no other test context's worker sees these jobs.
     */
    @Test
    void theNextJobClaimedIsOfTheAccountWithTheFewestRunning() {
        AccountId busy = AccountId.parse(newAccount().accountId());
        AccountId other = AccountId.parse(newAccount().accountId());
        transaction.executeWithoutResult(status -> {
            String running = scheduled(busy, Instant.now().minusSeconds(30));
            String busyNext = scheduled(busy, Instant.now().minusSeconds(20));
            String otherFirst = scheduled(other, Instant.now().minusSeconds(10));
            jdbc.sql("""
                    update job set status = 'in_progress', attempts = 1, lease_owner = 'another-instance',
                        lease_until = now() + interval '1 minute' where id = :id""").param("id", running).update();

            assertThat(jobs.claim("this-instance", Duration.ofMinutes(1))).get()
                    .extracting(JobRepository.ClaimedJob::id).isEqualTo(otherFirst);
            // both accounts have one running now: the older job comes first again
            assertThat(jobs.claim("this-instance", Duration.ofMinutes(1))).get()
                    .extracting(JobRepository.ClaimedJob::id).isEqualTo(busyNext);
            status.setRollbackOnly();
        });
    }

    /** A scheduled one-message job of the account, created at {@code createdOn}; returns its id. */
    private String scheduled(AccountId account, Instant createdOn) {
        Conversation conversation = conversations.create(account, null, Conversation.SOURCE_ASYNC);
        int seq = conversations.append(account, conversation.id(),
                List.of(new NewMessage("Hello", null, null, null))).get(0).sequence();
        String id = UUID.randomUUID().toString();
        jobs.insert(id, account, conversation.id(), "[]", "{}", seq, seq, null, createdOn, null);
        return id;
    }

    @Autowired
    JobWorker worker;

    @Test
    void workersStoppedAndStartedAgainKeepProcessing() {
        // Spring stops the lifecycle beans of a paused test context and starts them again when it is reused
        worker.stop();
        worker.start();
        TestApi api = newAccount();
        TestApi.Response accepted = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"Still working after a restart.\"}}]}");
        awaitJob(api, accepted.body().get("jobId").asString(), "completed");
    }
}
