package io.opentrackers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.OpenTrackersApplication;
import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import io.opentrackers.job.LiteralTrackerDetector;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Shutting the service down while a stream waits for its hits: the stream gets them (and its stored messages
 * keep them), then an error notice and close code 1001 (going away), so the client knows to reconnect elsewhere.
 * The context is this test's own, since it is closed.
 */
class StreamingShutdownIT {

    private ConfigurableApplicationContext context;

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void pendingHitsAreDeliveredBeforeTheSocketClosesWithGoingAway() throws Exception {
        context = new SpringApplicationBuilder(OpenTrackersApplication.class, LiteralMatchingConfiguration.class)
                .run("--server.port=0");
        String port = context.getEnvironment().getProperty("local.server.port");
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        LiteralTrackerDetector detector = context.getBean(LiteralTrackerDetector.class);
        URI uri = URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + api.token());

        try (TestSocket socket = TestSocket.open(uri, Map.of())) {
            socket.send("""
                    {"type":"start_request","trackers":[{"name":"Budget","vocabulary":["out of budget",
                     "no budget","budget is gone","cannot afford it","money ran out"]}]}""");
            socket.next(); // started_listening
            socket.next(); // conversation_created
            socket.next(); // recognition_started
            detector.hold();
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":"
                    + "\"[hold] We are out of budget.\"}}]}");
            assertThat(socket.next().get("type").asString()).isEqualTo("message_response");

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context::close);
            assertThat(socket.none(Duration.ofMillis(500))).as("nothing is sent while the hit is pending").isNull();
            assertThat(socket.closeCode(Duration.ZERO)).as("still open while the hit is pending").isNull();
            assertThat(shutdown).isNotDone();

            detector.release();
            JsonNode hits = socket.next();
            assertThat(hits.get("type").asString()).isEqualTo("tracker_response");
            assertThat(hits.get("trackers").get(0).get("name").asString()).isEqualTo("Budget");
            JsonNode notice = socket.next();
            assertThat(notice.get("message").get("type").asString()).isEqualTo("error");
            assertThat(notice.get("message").get("details").asString()).contains("shutting down");
            assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(1001);
            shutdown.get();
        }
    }
}
