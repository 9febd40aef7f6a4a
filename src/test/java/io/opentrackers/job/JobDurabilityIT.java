package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A job accepted with 201 survives kill -9 of the service: the packaged service (real matching engine and model)
 * runs as a child process on a PostgreSQL started by this test, is killed while one job is half done and another waits, and after a restart both
 * complete, the half-done one resuming after its last committed batch without duplicating hits.
 */
class JobDurabilityIT {

    private static final int MESSAGES = 1500;

    private EmbeddedPostgres postgres;
    private Process service;

    @AfterEach
    void stopEverything() throws IOException {
        if (service != null) {
            service.destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void acceptedJobsCompleteAfterTheServiceIsKilledAndRestarted() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        int port = freePort();
        Path log = Path.of("target", "durability-service.log");
        Files.deleteIfExists(log);
        service = startService(port, log);
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        JdbcClient db = JdbcClient.create(postgres.getPostgresDatabase());

        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < MESSAGES; i++) {
            messages.append(i == 0 ? "" : ",").append("{\"payload\":{\"content\":\"Message ")
                    .append(i).append(" asks about the price again.\"}}");
        }
        String tracker = AsyncApiTestSupport.trackerJson("Pricing", "the price");
        TestApi.Response big = api.post("/v1/process/text", "{\"trackers\":[" + tracker + "],\"messages\":["
                + messages + "]}");
        TestApi.Response small = api.post("/v1/process/text", "{\"trackers\":[" + tracker + "],\"messages\":["
                + "{\"payload\":{\"content\":\"What is the price?\"}}]}");
        assertThat(big.status()).isEqualTo(201);
        assertThat(small.status()).isEqualTo(201);
        String bigJob = big.body().get("jobId").asString();
        String smallJob = small.body().get("jobId").asString();

        // kill -9 once the big job has committed some batches but not all (one worker: the small job waits)
        long deadline = System.currentTimeMillis() + 120_000;
        JsonNode status;
        do {
            status = api.get("/v1/job/" + bigJob).body();
            Thread.sleep(20);
        } while (status.get("progress").get("done").asInt() == 0 && System.currentTimeMillis() < deadline);
        service.destroyForcibly().waitFor();
        Map<String, Object> atKill = db.sql("select status, done, total from job where id = :id")
                .param("id", bigJob).query().singleRow();
        assertThat(atKill.get("status")).isEqualTo("in_progress");
        assertThat((Integer) atKill.get("done")).isPositive().isLessThan(MESSAGES);
        assertThat(db.sql("select status from job where id = :id").param("id", smallJob).query(String.class).single())
                .isEqualTo("scheduled");

        service = startService(port, log);
        for (String job : List.of(bigJob, smallJob)) {
            JsonNode done = AsyncApiTestSupport.awaitJob(api, job, "completed");
            assertThat(done.get("progress").get("done").asInt()).isEqualTo(done.get("progress").get("total").asInt());
        }
        assertThat(db.sql("select attempts from job where id = :id").param("id", bigJob).query(Integer.class).single())
                .isEqualTo(2);
        JsonNode trackers = api.get("/v1/conversations/" + big.body().get("conversationId").asString()
                + "/trackers").body();
        JsonNode refs = trackers.get(0).get("matches").get(0).get("messageRefs");
        assertThat(refs).hasSize(MESSAGES);
        List<String> ids = new ArrayList<>();
        refs.forEach(ref -> ids.add(ref.get("id").asString()));
        assertThat(ids).doesNotHaveDuplicates();
    }

    private Process startService(int port, Path log) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:TieredStopAtLevel=1", "-jar", packagedJar().toString(),
                "--server.port=" + port,
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--trackers.admin.operator-key=test-operator-key",
                "--trackers.bootstrap.app-id=", "--trackers.bootstrap.app-secret=",
                // durability, not matching quality, is under test: the faster model keeps 1,500 messages quick
                "--trackers.embedding.model=all-minilm-l6-v2-q",
                "--trackers.jobs.workers=1",
                "--trackers.jobs.batch-size=10",
                "--trackers.jobs.lease=2s",
                "--trackers.jobs.poll-interval=100ms");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("service did not start within 180 s; see " + log);
    }

    /** The jar {@code mvn package} built (Failsafe runs after it): the product exactly as it is shipped. */
    private static Path packagedJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("opentrackers-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no packaged jar in target/: run mvn verify"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
