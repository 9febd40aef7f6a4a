package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stopping the webhook sender finishes the notification being sent and hands the rest of its round back. */
class WebhookShutdownTest {

    private final CountDownLatch receiverHolds = new CountDownLatch(1);
    private final CountDownLatch firstArrived = new CountDownLatch(1);
    private HttpServer receiver;

    /** Hands out one round of three deliveries and records what the dispatcher does with each. */
    private static final class RecordingOutbox extends WebhookOutbox {
        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final List<Long> handedBack = new CopyOnWriteArrayList<>();
        final List<Long> failed = new CopyOnWriteArrayList<>();
        private final String url;
        private boolean claimed;

        RecordingOutbox(String url) {
            super(null);
            this.url = url;
        }

        @Override
        synchronized List<Delivery> claimDue(int limit, Duration claimFor) {
            if (claimed) {
                return List.of();
            }
            claimed = true;
            return List.of(new Delivery(1, "job-1", url, "{}", 1), new Delivery(2, "job-2", url, "{}", 1),
                    new Delivery(3, "job-3", url, "{}", 1));
        }

        @Override
        void delivered(long id) {
            delivered.add(id);
        }

        @Override
        void failed(long id, String error, Instant retryAt) {
            failed.add(id);
        }

        @Override
        void abandoned(long id, String error) {
            failed.add(id);
        }

        @Override
        void handBack(List<Long> ids) {
            handedBack.addAll(ids);
        }
    }

    @AfterEach
    void stopReceiver() {
        receiverHolds.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void stoppingFinishesTheNotificationUnderWayAndHandsBackTheRestOfTheRound() throws Exception {
        RecordingOutbox outbox = new RecordingOutbox(startReceiver());
        JobProperties properties = new JobProperties(2, 5, 100, 64, Duration.ofSeconds(30), Duration.ofMillis(500), 3,
                Duration.ofSeconds(10), new JobProperties.Webhook(Duration.ofSeconds(5), 8, Duration.ofSeconds(1),
                        Duration.ofMinutes(1), Duration.ofMillis(20)));
        WebhookDispatcher dispatcher = new WebhookDispatcher(outbox, properties);
        dispatcher.start();
        assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(dispatcher::stop);
        Thread.sleep(200);
        assertThat(stopped).as("waits for the notification under way").isNotDone();
        receiverHolds.countDown();
        stopped.get(5, TimeUnit.SECONDS);

        assertThat(outbox.delivered).containsExactly(1L);
        assertThat(outbox.handedBack).containsExactly(2L, 3L);
        assertThat(outbox.failed).isEmpty();
        assertThat(dispatcher.isRunning()).isFalse();
    }

    /** A receiver that answers 204, but holds the first request until the test lets it go. */
    private String startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/hook", exchange -> {
            firstArrived.countDown();
            try {
                receiverHolds.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        return "http://localhost:" + receiver.getAddress().getPort() + "/hook";
    }
}
