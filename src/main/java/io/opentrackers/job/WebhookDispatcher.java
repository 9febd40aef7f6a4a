package io.opentrackers.job;

import io.opentrackers.common.ShutdownPhases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Sends queued webhook notifications on its own thread: a slow or dead receiver delays only other
 * notifications, never a job. Failed attempts are retried with exponential backoff until
 * {@code trackers.jobs.webhook.max-attempts}, then abandoned (the job's status is still readable by polling).
 *
 * <p>On shutdown ({@link ShutdownPhases#STOP_NOTIFYING}) the notification being sent is finished and the rest of
 * the claimed round is handed back, so that this or another instance sends it at once rather than after the claim
 * runs out.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 20;

    private final WebhookOutbox outbox;
    private final JobProperties.Webhook properties;
    private final HttpClient http;
    private volatile ThreadPoolTaskScheduler scheduler;
    private volatile boolean sending;

    WebhookDispatcher(WebhookOutbox outbox, JobProperties properties) {
        this.outbox = outbox;
        this.properties = properties.webhook();
        this.http = HttpClient.newBuilder().connectTimeout(this.properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void start() {
        sending = true;
        // connecting and waiting for the answer each end within the webhook timeout, so one attempt under way when
        // the service stops ends within twice that
        scheduler = JobWorker.scheduler("webhooks-", properties.timeout().multipliedBy(2));
        Duration every = properties.pollInterval();
        scheduler.scheduleWithFixedDelay(this::deliverDue, Instant.now().plus(every), every);
    }

    @Override
    public void stop() {
        sending = false;
        scheduler.shutdown();
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.STOP_NOTIFYING;
    }

    void deliverDue() {
        try {
            List<WebhookOutbox.Delivery> due;
            do {
                // a claim outlives every attempt of the batch, so no other instance sends these meanwhile
                due = outbox.claimDue(BATCH, properties.timeout().multipliedBy(2L * BATCH));
                for (int i = 0; i < due.size(); i++) {
                    if (!sending) {
                        outbox.handBack(due.subList(i, due.size()).stream().map(WebhookOutbox.Delivery::id).toList());
                        return;
                    }
                    deliver(due.get(i));
                }
            } while (due.size() == BATCH && sending);
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
