package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stopping the webhook sender finishes the attempts under way and hands back what it claimed but did not start. */
class WebhookShutdownTest {

    /** How long to wait for what must happen: far beyond what it takes even on a loaded build machine. */
    private static final long WAIT_SECONDS = 30;

    private final CountDownLatch receiverHolds = new CountDownLatch(1);
    private final CountDownLatch arrived = new CountDownLatch(2);
    private HttpServer receiver;

    /** Hands out one round of deliveries (of two accounts) and records what the dispatcher does with each. */
    private static class RecordingOutbox extends WebhookOutbox {
        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final List<Long> handedBack = new CopyOnWriteArrayList<>();
        final List<Long> failed = new CopyOnWriteArrayList<>();
        final AtomicInteger claims = new AtomicInteger();
        private final String url;

        RecordingOutbox(String url) {
            super(null);
            this.url = url;
        }

        @Override
        List<Delivery> claimDue(int limit, Duration claimFor, Set<UUID> busyAccounts) {
            if (claims.getAndIncrement() > 0) {
                return List.of();
            }
            return List.of(new Delivery(1, "job-1", UUID.randomUUID(), url, "{}", 1),
                    new Delivery(2, "job-2", UUID.randomUUID(), url, "{}", 1));
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

    private static final class FixedSecrets extends WebhookSecrets {
        FixedSecrets() {
            super(null);
        }

        @Override
        String secretOf(UUID account) {
            return "whsec_test";
        }
    }

    @AfterEach
    void stopReceiver() {
        receiverHolds.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static WebhookDispatcher dispatcher(WebhookOutbox outbox) {
        JobProperties properties = new JobProperties(2, 5, 100, 500, 64, Duration.ofSeconds(30), Duration.ofMillis(500), 3,
                Duration.ofSeconds(10), new JobProperties.Webhook(Duration.ofSeconds(5), 8, Duration.ofSeconds(1),
                        Duration.ofMinutes(1), Duration.ofMillis(20), 2, List.of()));
        WebhookDestinations destinations = new WebhookDestinations(List.of("127.0.0.0/8", "::1/128"),
                InetAddress::getAllByName);
        return new WebhookDispatcher(outbox, destinations, new FixedSecrets(),
                new WebhookHttp((SSLSocketFactory) SSLSocketFactory.getDefault()), properties);
    }

    @Test
    void stoppingFinishesTheAttemptsUnderWay() throws Exception {
        RecordingOutbox outbox = new RecordingOutbox(startReceiver());
        WebhookDispatcher dispatcher = dispatcher(outbox);
        dispatcher.start();
        assertThat(arrived.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("both accounts' deliveries are sent at once")
                .isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(dispatcher::stop);
        Thread.sleep(200);
        assertThat(stopped).as("waits for the attempts under way").isNotDone();
        receiverHolds.countDown();
        stopped.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(outbox.delivered).containsExactlyInAnyOrder(1L, 2L);
        assertThat(outbox.handedBack).isEmpty();
        assertThat(outbox.failed).isEmpty();
        assertThat(dispatcher.isRunning()).isFalse();
    }

    @Test
    void deliveriesClaimedWhileStoppingAreHandedBackUnsent() throws Exception {
        CountDownLatch claiming = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingOutbox outbox = new RecordingOutbox(startReceiver()) {
            @Override
            List<Delivery> claimDue(int limit, Duration claimFor, Set<UUID> busyAccounts) {
                claiming.countDown();
                try {
                    release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.claimDue(limit, claimFor, busyAccounts);
            }
        };
        WebhookDispatcher dispatcher = dispatcher(outbox);
        dispatcher.start();
        assertThat(claiming.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread stopping = new Thread(() -> {
            dispatcher.stop();
            stopped.complete(null);
        }, "stopping");
        stopping.start();
        // the claim round ends only once stopping has begun: stop() turns sending off first, then waits for the round
        // (the test used to give it 100 ms, which a loaded machine could take before stop() even ran)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (stopping.getState() != Thread.State.WAITING && stopping.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("stop() waits for the claim round under way").isLessThan(deadline);
            Thread.onSpinWait();
        }
        release.countDown();
        stopped.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(outbox.handedBack).containsExactlyInAnyOrder(1L, 2L);
        assertThat(outbox.delivered).isEmpty();
        assertThat(arrived.getCount()).as("nothing reached the receiver").isEqualTo(2);
    }

    /** A receiver that answers 204, but holds requests until the test lets them go. */
    private String startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/hook", exchange -> {
            arrived.countDown();
            try {
                receiverHolds.await(2 * WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        return "http://localhost:" + receiver.getAddress().getPort() + "/hook";
    }
}
