package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
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
import tools.jackson.databind.JsonNode;

/**
 * The packaged service (real matching engine and model) as a child process on a PostgreSQL started by the test,
 * and the long job the process-level job tests submit to it: what {@link JobDurabilityIT} and
 * {@link JobShutdownIT} share; {@link #launch} and {@link #awaitHealthy} start it with any arguments (the operations
 * tests: the embedded database, bad configuration).
 */
public final class PackagedService {

    /** Messages of the long job: enough batches of {@link #BATCH_SIZE} to stop the service in the middle of it. */
    static final int MESSAGES = 1500;
    private static final int BATCH_SIZE = 10;
    /**
     * How long a test waits for the long job to finish: far beyond what it takes, even on a loaded 2-core build machine
     * where the service, its PostgreSQL and the test share the cores.
     */
    static final Duration JOB_PATIENCE = Duration.ofMinutes(3);

    private PackagedService() {
    }

    /**
     * Starts the jar on {@code port} against {@code jdbcUrl} with one job worker, small batches and the given
     * lease, appending its output to {@code log}, and returns once it reports healthy.
     */
    static Process start(String jdbcUrl, int port, Path log, Duration lease) throws IOException, InterruptedException {
        Process process = launch(log, "--server.port=" + port,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--trackers.admin.operator-key=test-operator-key",
                "--trackers.bootstrap.app-id=", "--trackers.bootstrap.app-secret=",
                // the job's life cycle, not matching quality, is under test: the faster model keeps the job quick
                "--trackers.embedding.model=all-minilm-l6-v2-q",
                "--trackers.jobs.workers=1",
                "--trackers.jobs.batch-size=" + BATCH_SIZE,
                "--trackers.jobs.lease=" + lease.toMillis() + "ms",
                "--trackers.jobs.poll-interval=100ms");
        return awaitHealthy(process, port, log);
    }

    /** Starts {@code java -jar} of the packaged jar with {@code arguments}, appending its output to {@code log}. */
    public static Process launch(Path log, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:TieredStopAtLevel=1", "-jar", packagedJar().toString()));
        command.addAll(List.of(arguments));
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Returns {@code process} once it answers 200 on {@code /actuator/health}; fails if it exits first. */
    public static Process awaitHealthy(Process process, int port, Path log) throws InterruptedException {
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

    /** A {@code /v1/process/text} body of {@link #MESSAGES} messages that each hit the tracker once. */
    static String longJobRequest() {
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < MESSAGES; i++) {
            messages.append(i == 0 ? "" : ",").append("{\"payload\":{\"content\":\"Message ")
                    .append(i).append(" asks about the price again.\"}}");
        }
        return "{\"trackers\":[" + tracker() + "],\"messages\":[" + messages + "]}";
    }

    static String tracker() {
        return AsyncApiTestSupport.trackerJson("Pricing", "the price");
    }

    /** Waits until the job has committed at least {@code batches} batches, so that it is stopped part done. */
    static void awaitBatches(TestApi api, String jobId, int batches) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        JsonNode status;
        do {
            status = api.get("/v1/job/" + jobId).body();
            Thread.sleep(20);
        } while (status.get("progress").get("done").asInt() < batches * BATCH_SIZE
                && System.currentTimeMillis() < deadline);
    }

    /** The long job's conversation has exactly one hit per message: none lost, none stored twice. */
    static void assertEveryMessageHitOnce(TestApi api, String conversationId) {
        JsonNode trackers = api.get("/v1/conversations/" + conversationId + "/trackers").body();
        JsonNode refs = trackers.get(0).get("matches").get(0).get("messageRefs");
        assertThat(refs).hasSize(MESSAGES);
        List<String> ids = new ArrayList<>();
        refs.forEach(ref -> ids.add(ref.get("id").asString()));
        assertThat(ids).doesNotHaveDuplicates();
    }

    /** The jar {@code mvn package} built (Failsafe runs after it): the product exactly as it is shipped. */
    public static Path packagedJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("opentrackers-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no packaged jar in target/: run mvn verify"));
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
