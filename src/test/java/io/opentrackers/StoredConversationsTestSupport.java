package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.job.LiteralTrackerDetector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Set-up shared by the tests of what is read across stored conversations (analytics, the conversations list): the
 * full service with real PostgreSQL and the literal-phrase detector, so that the stored hits, and the figures
 * derived from them, can be counted by hand. Conversations are stored through the Async API. One Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "trackers.jobs.max-active-per-account=20")
@Import(StoredConversationsTestSupport.LiteralDetector.class)
public abstract class StoredConversationsTestSupport {

    @TestConfiguration(proxyBeanMethods = false)
    public static class LiteralDetector {
        @Bean
        @Primary
        LiteralTrackerDetector literalTrackerDetector() {
            return new LiteralTrackerDetector();
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected LiteralTrackerDetector detector;

    protected TestApi newAccount() {
        return TestApi.newAccount("http://localhost:" + port);
    }

    private static final List<String> FILLERS = List.of("zebra crossing lights", "purple volcano hat",
            "quantum sandwich fleet", "seventeen paper kites", "underwater piano lesson");

    /** A managed tracker with the given phrases (padded with phrases no test says to the five required). */
    protected static String createTracker(TestApi api, String name, String... phrases) {
        List<String> vocabulary = new ArrayList<>(List.of(phrases));
        for (int i = 0; vocabulary.size() < 5; i++) {
            vocabulary.add(FILLERS.get(i));
        }
        TestApi.Response created = api.post("/v1/manage/trackers", "{\"name\": \"" + name + "\", \"vocabulary\": ["
                + String.join(", ", vocabulary.stream().map(v -> "\"" + v + "\"").toList()) + "]}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.body().get("tracker").get("id").asString();
    }

    /** A submitted job: its conversation and job ids. */
    protected record Submitted(String conversationId, String jobId) {
    }

    protected static Submitted submit(TestApi api, String body) {
        TestApi.Response accepted = api.post("/v1/process/text", body);
        assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(201);
        return new Submitted(accepted.body().get("conversationId").asString(),
                accepted.body().get("jobId").asString());
    }

    /** Waits until {@code condition} holds, checking every 50 ms; fails naming {@code what} after 30 s. */
    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    protected static void awaitCompleted(TestApi api, String jobId) {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode job;
        do {
            job = api.get("/v1/job/" + jobId).body();
            String status = job.get("status").asString();
            if (!status.equals("scheduled") && !status.equals("in_progress")) {
                assertThat(status).as("job %s: %s", jobId, job).isEqualTo("completed");
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("job " + jobId + " did not finish: " + job);
    }

    /** The one number a query counts (rows of a table holding what was stored, typically). */
    protected int count(String sql, Object... args) {
        return jdbc.sql(sql).params(args).query(Integer.class).single();
    }

    protected static String jobStatus(TestApi api, String jobId) {
        return api.get("/v1/job/" + jobId).body().get("status").asString();
    }

    /** A tracker's line in the account's analytics of 2026-03-01 (the day the tests' conversations start), or null. */
    protected static JsonNode figures(TestApi api, String trackerName) {
        TestApi.Response response = api.get("/v1/analytics/trackers?from=2026-03-01&to=2026-03-02");
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
        for (JsonNode tracker : response.body().get("trackers")) {
            if (tracker.get("name").asString().equals(trackerName)) {
                return tracker;
            }
        }
        return null;
    }

    protected static URI streaming(int servicePort, TestApi api) {
        return URI.create("ws://localhost:" + servicePort + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + api.token());
    }

    /** Starts a stream with a Budget tracker and returns its conversation's id. */
    protected static String startStream(TestSocket socket) {
        socket.send("""
                {"type": "start_request", "trackers": [{"name": "Budget", "vocabulary": ["no budget", "over budget",
                 "cannot afford it", "money ran out", "budget is gone"]}]}""");
        assertThat(socket.next().path("message").path("type").asString()).isEqualTo("started_listening");
        socket.next(); // conversation_created
        return socket.next().path("message").path("data").path("conversationId").asString(); // recognition_started
    }
}
