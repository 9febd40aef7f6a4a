package io.opentrackers.job;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends queued webhook notifications on its own thread: a slow or dead receiver delays only other
 * notifications, never a job. Failed attempts are retried with exponential backoff until
 * {@code trackers.jobs.webhook.max-attempts}, then abandoned (the job's status is still readable by polling).
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 20;

    private final WebhookOutbox outbox;
    private final JobProperties.Webhook properties;
    private final HttpClient http;
    private volatile ScheduledExecutorService scheduler;

    WebhookDispatcher(WebhookOutbox outbox, JobProperties properties) {
        this.outbox = outbox;
        this.properties = properties.webhook();
        this.http = HttpClient.newBuilder().connectTimeout(this.properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(JobWorker.daemonThreads("webhooks-"));
        long every = properties.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::deliverDue, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    void deliverDue() {
        try {
            List<WebhookOutbox.Delivery> due;
            do {
                // a claim outlives every attempt of the batch, so no other instance sends these meanwhile
                due = outbox.claimDue(BATCH, properties.timeout().multipliedBy(2L * BATCH));
                due.forEach(this::deliver);
            } while (due.size() == BATCH && !Thread.currentThread().isInterrupted());
        } catch (RuntimeException e) {
            log.warn("Webhook delivery round failed; will retry", e);
        }
    }

    private void deliver(WebhookOutbox.Delivery delivery) {
        String error;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(properties.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "OpenTrackers-Webhook")
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                outbox.delivered(delivery.id());
                return;
            }
            error = "HTTP " + response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the claim runs out and the delivery is retried, by this or another instance
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (delivery.attempts() >= properties.maxAttempts()) {
            log.warn("Abandoning webhook {} for job {} after {} attempts: {}", delivery.url(), delivery.jobId(),
                    delivery.attempts(), error);
            outbox.abandoned(delivery.id(), error);
        } else {
            outbox.failed(delivery.id(), error, Instant.now().plus(backoff(delivery.attempts())));
        }
    }

    /** initialBackoff × 2^(attempts−1), capped at maxBackoff. */
    Duration backoff(int attempts) {
        Duration wait = properties.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 30));
        return wait.compareTo(properties.maxBackoff()) > 0 || wait.isNegative() ? properties.maxBackoff() : wait;
    }
}
