package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Shared set-up of the Async API protocol tests: the full service on a random port with real PostgreSQL and
 * the deterministic {@link LiteralTrackerDetector} (so that exact JSON can be asserted and failures and slow
 * jobs can be provoked). All subclasses share one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AsyncApiTestSupport.LiteralDetectorConfiguration.class)
abstract class AsyncApiTestSupport {

    @TestConfiguration(proxyBeanMethods = false)
    static class LiteralDetectorConfiguration {
        @Bean
        @Primary
        LiteralTrackerDetector literalTrackerDetector() {
            return new LiteralTrackerDetector();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LiteralTrackerDetector detector;

    TestApi newAccount() {
        return TestApi.newAccount("http://localhost:" + port);
    }

    /** Phrases that occur in no test message, to fill vocabularies up to the minimum of five. */
    private static final List<String> FILLERS = List.of("zebra crossing lights", "purple volcano hat",
            "quantum sandwich fleet", "seventeen paper kites", "underwater piano lesson");

    /** A tracker's JSON: the given phrases, padded with fillers to the five phrases a tracker needs. */
    static String trackerJson(String name, String... phrases) {
        List<String> vocabulary = new ArrayList<>(List.of(phrases));
        for (int i = 0; vocabulary.size() < 5; i++) {
            vocabulary.add(FILLERS.get(i));
        }
        return "{\"name\": \"" + name + "\", \"vocabulary\": [" + String.join(", ",
                vocabulary.stream().map(v -> "\"" + v + "\"").toList()) + "]}";
    }

    /** A managed tracker of the account, created through the Management API; returns its id. */
    static String createTracker(TestApi api, String name, String... phrases) {
        TestApi.Response created = api.post("/v1/manage/trackers", trackerJson(name, phrases));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.body().get("tracker").get("id").asString();
    }

    /** Submits a conversation of one message (plain text, no quotes) and returns the job's id once accepted. */
    static String submitOneMessage(TestApi api, String content) {
        TestApi.Response accepted = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"" + content + "\"}}]}");
        assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(201);
        return accepted.body().get("jobId").asString();
    }

    static JsonNode awaitJob(TestApi api, String jobId, String expectedStatus) {
        return awaitJob(api, jobId, expectedStatus, Duration.ofSeconds(30));
    }

    /** Polls the job until it has finished, for at most {@code patience}; fails unless it ends as expected. */
    static JsonNode awaitJob(TestApi api, String jobId, String expectedStatus, Duration patience) {
        long deadline = System.currentTimeMillis() + patience.toMillis();
        JsonNode job;
        do {
            TestApi.Response response = api.get("/v1/job/" + jobId);
            assertThat(response.status()).isEqualTo(200);
            job = response.body();
            String status = job.get("status").asString();
            if (status.equals("completed") || status.equals("failed")) {
                assertThat(status).as("job %s: %s", jobId, job).isEqualTo(expectedStatus);
                return job;
            }
            assertThat(status).isIn("scheduled", "in_progress");
            sleep(50);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("job " + jobId + " did not finish: " + job);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<String> texts(JsonNode messages) {
        return messages.get("messages").valueStream().map(m -> m.get("text").asString()).toList();
    }
}
