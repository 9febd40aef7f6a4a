package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentrackers.TestApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook notifications to a local HTTP server: delivered in order, retried with backoff, never blocking jobs. */
class WebhookIT extends AsyncApiTestSupport {

    record Received(String path, String body, long atMillis) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestURI().getPath(), body, System.currentTimeMillis()));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().startsWith("/fail") ? 500 : 204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopReceiver() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    private String submit(TestApi api, String webhookUrl) {
        TestApi.Response accepted = api.post("/v1/process/text", """
                {"webhookUrl": "%s", "messages": [{"payload": {"content": "What is the price?"}}]}""".formatted(webhookUrl));
        assertThat(accepted.status()).isEqualTo(201);
        return accepted.body().get("jobId").asString();
    }

    @Test
    void everyStatusChangeIsPostedInOrder() {
        TestApi api = newAccount();
        String jobId = submit(api, url("/ok"));
        awaitJob(api, jobId, "completed");

        await(() -> received.size() >= 3);
        assertThat(received).extracting(Received::path).containsOnly("/ok");
        assertThat(received).extracting(r -> TestApi.json(r.body())).containsExactly(
                TestApi.json("{\"jobId\":\"" + jobId + "\",\"status\":\"scheduled\"}"),
                TestApi.json("{\"jobId\":\"" + jobId + "\",\"status\":\"in_progress\"}"),
                TestApi.json("{\"jobId\":\"" + jobId + "\",\"status\":\"completed\"}"));
    }

    @Test
    void aFailingReceiverIsRetriedWithGrowingWaitsAndTheJobStillCompletes() {
        TestApi api = newAccount();
        String jobId = submit(api, url("/fail"));
        awaitJob(api, jobId, "completed");

        await(() -> received.size() >= 4);
        List<Received> attempts = List.copyOf(received);
        // the first notification is retried; later ones wait so that the receiver sees statuses in order
        assertThat(attempts).extracting(r -> TestApi.json(r.body()).get("status").asString())
                .startsWith("scheduled", "scheduled", "scheduled", "scheduled");
        long firstWait = attempts.get(1).atMillis() - attempts.get(0).atMillis();
        long thirdWait = attempts.get(3).atMillis() - attempts.get(2).atMillis();
        assertThat(thirdWait).as("exponential backoff (100 ms, 200 ms, 400 ms …)").isGreaterThan(firstWait);
        Map<String, Object> delivery = jdbc.sql("""
                select attempts, last_error, state from webhook_delivery where job_id = :job order by id limit 1""")
                .param("job", jobId).query().singleRow();
        assertThat((Integer) delivery.get("attempts")).isGreaterThanOrEqualTo(4);
        assertThat(delivery.get("last_error")).isEqualTo("HTTP 500");
        assertThat(delivery.get("state")).isEqualTo("pending");
    }

    @Test
    void anUnreachableReceiverDoesNotAffectTheJob() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TestApi api = newAccount();
        String jobId = submit(api, "http://localhost:" + closedPort + "/hook");
        awaitJob(api, jobId, "completed");
        await(() -> jdbc.sql("select count(*) from webhook_delivery where job_id = :job and attempts >= 2")
                .param("job", jobId).query(Integer.class).single() > 0);
        String error = jdbc.sql("select last_error from webhook_delivery where job_id = :job order by id limit 1")
                .param("job", jobId).query(String.class).single();
        assertThat(error).contains("ConnectException");
    }

    private static void await(Supplier<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.get()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            sleep(50);
        }
    }
}
