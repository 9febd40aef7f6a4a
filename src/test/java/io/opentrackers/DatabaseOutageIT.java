package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The database goes away under a running service and comes back: what clients and the operator meet meanwhile. The
 * test starts its own PostgreSQL on a fixed data directory and port, so that it can stop it (a fast shutdown, as an
 * operator's restart or a failover does) and start it again under the service.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageIT {

    /** The pool's wait for a connection, shortened from 30 s so that each refused request is quick to see. */
    private static final Duration POOL_WAIT = Duration.ofSeconds(2);
    private static final String TRACKER = "{\"name\":\"Budget\",\"vocabulary\":[\"no budget\",\"over budget\","
            + "\"we cannot afford it\",\"too expensive for us\",\"no money left\"]}";

    private final HttpClient http = HttpClient.newHttpClient();
    private OwnPostgres postgres;
    private ConfigurableApplicationContext service;

    @AfterEach
    void stopEverything() throws IOException {
        if (service != null) {
            service.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void whileTheDatabaseIsGoneRequestsAreAnswered503AndStreamsToldToResendThenAllRecovers(CapturedOutput output)
            throws Exception {
        postgres = new OwnPostgres("outage-pg");
        postgres.start();
        service = new SpringApplicationBuilder(OpenTrackersApplication.class).run(postgres.serviceArguments("--server.port=0",
                "--spring.datasource.hikari.connection-timeout=" + POOL_WAIT.toMillis(),
                "--trackers.admin.operator-key=test-operator-key"));
        String base = "http://localhost:" + SecondInstance.port(service);
        TestApi api = TestApi.newAccount(base);
        TestSocket stream = TestSocket.open(URI.create(base.replace("http", "ws") + "/v1/streaming/"
                + UUID.randomUUID() + "?access_token=" + api.token()), Map.of());
        stream.send("{\"type\":\"start_request\",\"trackers\":[" + TRACKER + "]}");
        String conversationId = awaitFrame(stream, "conversation_created").get("message").get("data")
                .get("conversationId").asString();
        awaitFrame(stream, "recognition_started");

        // a job that is running when the database goes away (with a tracker to detect, so that it lasts)
        assertThat(api.post("/v1/manage/tracker", TRACKER).status()).isEqualTo(201);
        TestApi.Response submitted = api.post("/v1/process/text", jobOf(5000));
        assertThat(submitted.status()).isEqualTo(201);
        String jobId = submitted.body().get("jobId").asString();
        await("the job running", () -> api.get("/v1/job/" + jobId).body().get("status").asString()
                .equals("in_progress"));

        int beforeStop = output.getAll().length(); // the job may meet the outage while the server is stopping
        postgres.stop();
        int logged = output.getAll().length();

        // a request with a token: the token's account is looked up in a filter, before any controller
        TestApi.Response withToken = api.get("/v1/manage/trackers");
        assertThat(withToken.status()).isEqualTo(503);
        assertThat(withToken.headers().getFirst("Retry-After")).isEqualTo("5");
        assertThat(withToken.body().get("type").asString())
                .isEqualTo("https://opentrackers.io/problems/database-unavailable");
        assertThat(withToken.body().get("detail").asString()).contains("cannot reach its database");
        // a request whose controller reaches the database
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token:generate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"appId\":\"" + api.appId() + "\",\"appSecret\":\"" + TestApi.APP_SECRET + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(503);
        assertThat(login.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(TestApi.json(login.body()).get("type").asString()).endsWith("/database-unavailable");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(503);
        // the operator is told which part is down
        assertThat(TestApi.json(health.body()).get("components").get("db").get("status").asString())
                .isEqualTo("DOWN");

        // a live stream's message cannot be stored: the client is told so, and to send it again
        stream.send(message("honestly we have no budget left for this"));
        JsonNode refused = awaitFrame(stream, "error");
        assertThat(refused.get("message").get("details").asString())
                .contains("cannot reach its database")
                .contains("not stored")
                .contains("send them again");

        // the job's batch could not be stored: it is handed back to be taken up again
        await("the running job handed back", () -> output.getAll().substring(beforeStop)
                .contains("Job " + jobId + " met a temporary failure"));
        assertThat(output.getAll().substring(beforeStop))
                // in one line (it carried a 37-line stack trace), and as a temporary failure: a batch whose commit
                // met the server going away was failed for good ("JDBC rollback failed")
                .containsPattern("Job " + jobId + " met a temporary failure on attempt 1 of \\d+; it is taken up "
                        + "again in PT\\S+ \\(the database cannot be reached: ")
                .doesNotContainPattern("met a temporary failure[^\\n]*\\R[\\w.$]+(Exception|Error)")
                .doesNotContain("Job " + jobId + " failed")
                // whether the job had been deleted meanwhile could not be read: that escaped the worker thread,
                // printed by the JVM past the log with a stack trace, and the job waited for its lease to run out
                .doesNotContain("Exception in thread \"job-worker");

        // one warning line per refused request or frame, no stack traces, nothing at ERROR from them
        String outage = output.getAll().substring(logged);
        assertThat(outage).contains("GET /v1/manage/trackers answered 503: the database cannot be reached (")
                .contains("POST /oauth2/token:generate answered 503: the database cannot be reached (")
                .contains("Streaming message_request on connection")
                .doesNotContain("Servlet.service() for servlet")
                .doesNotContain("Request to /v1/manage/trackers failed")
                .doesNotContain("Unexpected error")
                .doesNotContain("Streaming frame failed")
                // background rounds (job and webhook polls) that meet the outage say so in one line each, too
                .doesNotContain("Polling for jobs failed; will retry" + System.lineSeparator())
                .doesNotContain("Webhook claim round failed; will retry" + System.lineSeparator())
                // Spring Boot's database health check logged a 200-line stack trace at every /actuator/health
                .doesNotContain("DataSource health check failed");

        postgres.start();
        await(() -> api.get("/v1/manage/trackers").status() == 200);
        await(() -> status(base + "/actuator/health") == 200);
        // the stream goes on: the message sent again is stored and tracked once
        stream.send(message("honestly we have no budget left for this"));
        assertThat(awaitFrame(stream, "message_response").get("messages")).hasSize(1);
        assertThat(awaitFrame(stream, "tracker_response").get("trackers").get(0).get("name").asString())
                .isEqualTo("Budget");
        stream.send("{\"type\":\"stop_request\"}");
        awaitFrame(stream, "conversation_completed");
        stream.close();
        JsonNode messages = api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages");
        assertThat(messages).hasSize(1);
    }

    private static String jobOf(int messages) {
        StringBuilder body = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < messages; i++) {
            body.append(i == 0 ? "" : ",").append("{\"payload\":{\"content\":\"We are over budget on item ")
                    .append(i).append(", so we cannot afford it this quarter.\"}}");
        }
        return body.append("]}").toString();
    }

    private static String message(String text) {
        return "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"" + text + "\"}}]}";
    }

    /** The next frame of the given type (a {@code message}'s {@code message.type}), skipping any other. */
    private static JsonNode awaitFrame(TestSocket socket, String type) {
        for (int i = 0; i < 20; i++) {
            JsonNode frame = socket.next();
            String kind = frame.get("type").asString();
            if (kind.equals(type) || kind.equals("message") && frame.get("message").get("type").asString()
                    .equals(type)) {
                return frame;
            }
        }
        throw new AssertionError("no " + type + " frame among the next 20");
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the service to recover by itself: within 60 s, far beyond the pool's reconnect (about 5 s). */
    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        await("the service's recovery after the database's return", condition);
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s in vain for " + what);
            }
            Thread.sleep(200);
        }
    }
}
