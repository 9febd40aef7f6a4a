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
import java.util.concurrent.TimeUnit;
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

    /** Scrapes until the gauges show {@code waiting} and {@code running}: a count may be up to 5 s old. */
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
     * A scrape does not wait for the job table: while another transaction holds it locked (a long ALTER TABLE, a
     * VACUUM FULL, a migration of another instance) the count gave up only when the lock went, and the scrape, with
     * every scrape queued behind it, hung as long; Prometheus then lost all of the instance's metrics. Now the count
     * gives up after {@link JobRepository#QUEUE_COUNT_TIMEOUT} and the gauges say NaN (nobody could count).
     */
    @Test
    void aLockedJobTableMakesTheQueueUnknownInsteadOfHangingTheScrape() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new JobQueueGauges(jobs, meters); // no count cached yet: the next read counts
        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                statement.execute("lock table job in access exclusive mode");
            }
            try {
                CompletableFuture<Double> waiting = CompletableFuture.supplyAsync(
                        () -> meters.get("trackers.jobs.waiting").gauge().value());
                // the bound only ends a hang: the count gives up after 2 s
                assertThat(waiting.get(60, TimeUnit.SECONDS)).as("waiting, read while the table is locked").isNaN();
            } finally {
                locker.rollback();
            }
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
                jobs.insert(id, account, conversation, "[]", "{}", 1, 1, null, Instant.now());
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
