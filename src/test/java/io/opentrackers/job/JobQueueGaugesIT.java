package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import io.opentrackers.account.AccountId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The queue gauges an operator scrapes from {@code /actuator/prometheus}: jobs waiting and running as the database
 * holds them (the jobs of another instance sharing it included), and the streaming connections open here. Until
 * 2026-11-27 none of them existed and the queue's length had to be read with SQL.
 */
class JobQueueGaugesIT extends AsyncApiTestSupport {

    @Autowired
    JobRepository jobs;

    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    private String scrape() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus"))
                .header("X-Operator-Key", "test-operator-key").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double value(String scrape, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as("%s in the scrape", name).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    /** Scrapes until the gauges show {@code waiting} and {@code running}: the queue is counted every 5 s. */
    private void awaitQueue(double waiting, double running) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String scrape = scrape();
        while (value(scrape, "trackers_jobs_waiting") != waiting || value(scrape, "trackers_jobs_running") != running) {
            assertThat(System.currentTimeMillis()).as("waiting %s, running %s; last scrape: waiting %s, running %s",
                    waiting, running, value(scrape, "trackers_jobs_waiting"), value(scrape, "trackers_jobs_running"))
                    .isLessThan(deadline);
            sleep(200);
            scrape = scrape();
        }
    }

    /**
     * A scrape never waits for the database: the queue is counted on a thread of its own and a scrape reads the last
     * count. Until 2026-11-27 the scrape counted, so a locked job table held it for the count's 2 s timeout and an
     * unreachable database for the pool's 30 s connection timeout, with every scrape queued behind it. Here the
     * gauges' clock and refreshes are the test's: a refresh is left waiting on a lock while the gauges are read.
     */
    @Test
    void aScrapeReadsTheLastCountWithoutWaitingForTheDatabase() throws Exception {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        String conversation = conversationOfACompletedJob(api);
        awaitNoActiveJobs();
        AccountId account = new AccountId(UUID.fromString(api.accountId()));
        // one job waits (a retry's pause: nobody may claim it yet), one runs under another instance's lease
        String pausing = UUID.randomUUID().toString();
        String elsewhere = UUID.randomUUID().toString();
        for (String id : List.of(pausing, elsewhere)) {
            jobs.insert(id, account, conversation, "[]", "{}", 1, 1, null, Instant.now(), null);
        }
        jdbc.sql("""
                update job set status = 'in_progress', lease_owner = null, lease_until = now() + interval '1 hour'
                where id = :id""").param("id", pausing).update();
        jdbc.sql("""
                update job set status = 'in_progress', lease_owner = 'another-instance',
                    lease_until = now() + interval '1 hour' where id = :id""").param("id", elsewhere).update();
        try {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            AtomicLong clock = new AtomicLong();
            CountDownLatch counting = new CountDownLatch(1);
            JobQueueGauges gauges = new JobQueueGauges(() -> {
                counting.countDown();
                return jobs.queueCounts();
            }, meters, clock::get); // not started: the test refreshes
            assertThat(gauge(meters, "waiting")).as("nothing counted yet").isNaN();

            gauges.refresh();
            assertThat(gauge(meters, "waiting")).isEqualTo(1);
            assertThat(gauge(meters, "running")).isEqualTo(1);

            try (Connection locker = dataSource.getConnection()) {
                locker.setAutoCommit(false);
                try (Statement statement = locker.createStatement()) {
                    statement.execute("lock table job in access exclusive mode");
                }
                try {
                    CompletableFuture<Void> refreshing = CompletableFuture.runAsync(gauges::refresh);
                    assertThat(counting.await(60, TimeUnit.SECONDS)).as("the refresh counts").isTrue();
                    // a count is under way and the database holds it (until the lock goes, or it gives up after
                    // 2 s and reads NaN); the scrape reads the last count instead of waiting, or counting, itself
                    assertThat(gauge(meters, "waiting")).as("waiting, read while a count waits for the lock")
                            .isEqualTo(1);
                    assertThat(gauge(meters, "running")).isEqualTo(1);

                    // a count that has not come back for too long (an unreachable database) is no count
                    clock.addAndGet(JobQueueGauges.MAX_AGE.toNanos() + 1);
                    assertThat(gauge(meters, "waiting")).as("waiting, the last count too old").isNaN();
                    assertThat(gauge(meters, "running")).isNaN();
                    // the bound only ends a hang: the count gives up after 2 s
                    refreshing.get(60, TimeUnit.SECONDS);
                    assertThat(gauge(meters, "waiting")).as("after a count that failed").isNaN();
                } finally {
                    locker.rollback();
                }
            }

            gauges.refresh();
            assertThat(gauge(meters, "waiting")).as("counted again").isEqualTo(1);
            assertThat(gauge(meters, "running")).isEqualTo(1);
        } finally {
            jdbc.sql("delete from job where id in (:ids)").param("ids", List.of(pausing, elsewhere)).update();
        }
    }

    private static double gauge(SimpleMeterRegistry meters, String figure) {
        return meters.get("trackers.jobs." + figure).gauge().value();
    }

    private String conversationOfACompletedJob(TestApi api) {
        TestApi.Response accepted = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"What is the price?\"}}]}");
        assertThat(accepted.status()).isEqualTo(201);
        awaitJob(api, accepted.body().get("jobId").asString(), "completed");
        return accepted.body().get("conversationId").asString();
    }

    /** Waits until no job is active, so that the test's own jobs are all the queue holds. */
    private void awaitNoActiveJobs() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!jobs.queueCounts().equals(new JobRepository.QueueCounts(0, 0))) {
            assertThat(System.currentTimeMillis()).as("the jobs of earlier tests finish").isLessThan(deadline);
            sleep(50);
        }
    }

    @Test
    void theQueueGaugesCountTheDatabasesJobsOfEveryInstance() throws Exception {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        awaitQueue(0, 0); // the jobs of earlier tests have finished
        String held = "{\"messages\": [{\"payload\": {\"content\": \"Waiting [hold] for the price.\"}}]}";
        List<String> submitted = new ArrayList<>();
        detector.hold();
        try {
            // the tests run two workers: two jobs run (held in the detector), the third waits for a worker
            for (int i = 0; i < 3; i++) {
                TestApi.Response accepted = api.post("/v1/process/text", held);
                assertThat(accepted.status()).isEqualTo(201);
                submitted.add(accepted.body().get("jobId").asString());
                if (i == 1) {
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (jdbc.sql("select count(*) from job where id in (:ids) and status = 'in_progress'")
                            .param("ids", submitted).query(Integer.class).single() < 2) {
                        assertThat(System.currentTimeMillis()).as("both jobs running").isLessThan(deadline);
                        sleep(20);
                    }
                }
            }
            // another instance sharing the database runs one job, and one was left by an instance that died (its
            // lease ran out: it waits to be taken over, which this instance's busy workers cannot do yet)
            String conversation = jdbc.sql("select conversation_id from job where id = :id")
                    .param("id", submitted.get(2)).query(String.class).single();
            AccountId account = new AccountId(UUID.fromString(api.accountId()));
            String elsewhere = UUID.randomUUID().toString();
            String orphaned = UUID.randomUUID().toString();
            for (String id : List.of(elsewhere, orphaned)) {
                jobs.insert(id, account, conversation, "[]", "{}", 1, 1, null, Instant.now(), null);
            }
            jdbc.sql("""
                    update job set status = 'in_progress', lease_owner = 'another-instance',
                        lease_until = now() + interval '10 minutes' where id = :id""").param("id", elsewhere).update();
            jdbc.sql("""
                    update job set status = 'in_progress', lease_owner = 'an-instance-that-died',
                        lease_until = now() - interval '1 minute' where id = :id""").param("id", orphaned).update();

            awaitQueue(2, 3);
            String scrape = scrape();
            assertThat(scrape).contains("# TYPE trackers_jobs_waiting gauge", "# TYPE trackers_jobs_running gauge");

            jdbc.sql("delete from job where id in (:ids)").param("ids", List.of(elsewhere, orphaned)).update();
        } finally {
            detector.release();
        }
        submitted.forEach(job -> awaitJob(api, job, "completed"));
        awaitQueue(0, 0);
    }

    @Test
    void theStreamingGaugeCountsTheConnectionsOpenHere() throws Exception {
        TestApi api = newAccount();
        double before = value(scrape(), "trackers_streaming_connections");
        URI uri = URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + api.token());
        try (TestSocket socket = TestSocket.open(uri, Map.of())) {
            socket.send("""
                    {"type": "start_request", "trackers": [{"name": "Budget", "vocabulary": ["no budget",
                     "over budget", "cannot afford it", "money ran out", "budget is gone"]}]}""");
            assertThat(socket.next().path("message").path("type").asString()).isEqualTo("started_listening");
            assertThat(value(scrape(), "trackers_streaming_connections")).isEqualTo(before + 1);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (value(scrape(), "trackers_streaming_connections") != before) {
            assertThat(System.currentTimeMillis()).as("the closed connection is no longer counted")
                    .isLessThan(deadline);
            sleep(50);
        }
    }
}
