package io.opentrackers.job;

import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.ShutdownPhases;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Sends queued webhook notifications on a small pool of sender threads, fairly between accounts: a slow or dead
 * receiver delays only its own account's notifications, never a job and never another account's.
 *
 * <ul>
 *   <li>A poller claims due deliveries for the free senders, at most one per account and none of an account that
 *       has one under way ({@link WebhookOutbox#claimDue}). So an account whose receiver hangs occupies one sender;
 *       the others keep serving everyone else, and accounts with due notifications take turns (the one served
 *       longest ago first), so another account waits at most for the next free sender.
 *   <li>Each attempt is bounded by {@code trackers.jobs.webhook.timeout} as a whole, and each claim covers one
 *       attempt, so a delivery claimed by an instance that died is due again after {@link #claimFor()}.
 *   <li>Failed attempts are retried after a jittered exponential backoff ({@link #backoff(int)}) until
 *       {@code max-attempts}, then abandoned (the job's status is still readable by polling). A destination that
 *       {@link WebhookDestinations} refuses is abandoned at once: retrying cannot make it permitted.
 *   <li>Every request carries {@code X-OpenTrackers-Signature} (HMAC of the account's secret) and
 *       {@code X-OpenTrackers-Delivery} (an id that stays the same across retries, for receivers to drop duplicates).
 * </ul>
 *
 * <p>On shutdown ({@link ShutdownPhases#STOP_NOTIFYING}) no more deliveries are claimed, the attempts under way are
 * finished, and claimed deliveries not yet attempted are handed back, so that this or another instance sends them at
 * once rather than after their claims run out.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookOutbox outbox;
    private final WebhookDestinations destinations;
    private final WebhookSecrets secrets;
    private final WebhookHttp http;
    private final JobProperties.Webhook properties;
    /** account → delivery being sent by this instance; at most one per account */
    private final Map<UUID, Long> inFlight = new ConcurrentHashMap<>();
    private volatile ThreadPoolTaskScheduler poller;
    private volatile ThreadPoolTaskExecutor senders;
    private volatile boolean sending;

    @Autowired
    WebhookDispatcher(WebhookOutbox outbox, WebhookDestinations destinations, WebhookSecrets secrets,
            JobProperties properties) throws NoSuchAlgorithmException {
        this(outbox, destinations, secrets, new WebhookHttp(SSLContext.getDefault().getSocketFactory()), properties);
    }

    WebhookDispatcher(WebhookOutbox outbox, WebhookDestinations destinations, WebhookSecrets secrets, WebhookHttp http,
            JobProperties properties) {
        this.outbox = outbox;
        this.destinations = destinations;
        this.secrets = secrets;
        this.http = http;
        this.properties = properties.webhook();
    }

    @Override
    public void start() {
        sending = true;
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix("webhook-sender-");
        pool.setCorePoolSize(properties.senders());
        pool.setMaxPoolSize(properties.senders());
        pool.setDaemon(true);
        // an attempt under way when the service stops ends within the timeout; queued ones are handed back at once
        pool.setWaitForTasksToCompleteOnShutdown(true);
        pool.setAwaitTerminationMillis(claimFor().toMillis());
        pool.initialize();
        senders = pool;
        // the poller only runs claim queries, which end quickly
        poller = JobWorker.scheduler("webhook-poller-", Duration.ofSeconds(5));
        Duration every = properties.pollInterval();
        poller.scheduleWithFixedDelay(this::claimRound, Instant.now().plus(every), every);
    }

    @Override
    public void stop() {
        sending = false;
        poller.shutdown();
        senders.shutdown();
        poller = null;
        senders = null;
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.STOP_NOTIFYING;
    }

    /**
     * How long a claim keeps other claimers off a delivery: the attempt's timeout plus as much again for resolving
     * the host and recording the outcome. An attempt that overruns it may be sent twice (receivers must tolerate a
     * resend anyway); this instance still keeps its own account to one delivery at a time through {@link #inFlight}.
     */
    Duration claimFor() {
        return properties.timeout().multipliedBy(2);
    }

    /** Claims due deliveries for the free senders and hands each to one. */
    void claimRound() {
        try {
            int free = properties.senders() - inFlight.size();
            if (free <= 0 || !sending) {
                return;
            }
            List<WebhookOutbox.Delivery> claimed = outbox.claimDue(free, claimFor(), Set.copyOf(inFlight.keySet()));
            for (int i = 0; i < claimed.size(); i++) {
                WebhookOutbox.Delivery delivery = claimed.get(i);
                if (!sending || !dispatch(delivery)) {
                    outbox.handBack(claimed.subList(i, claimed.size()).stream().map(WebhookOutbox.Delivery::id)
                            .toList());
                    return;
                }
            }
        } catch (RuntimeException e) {
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e, "Webhook claim round failed; will retry");
        }
    }

    private boolean dispatch(WebhookOutbox.Delivery delivery) {
        ThreadPoolTaskExecutor pool = senders;
        if (pool == null) {
            return false;
        }
        inFlight.put(delivery.accountId(), delivery.id());
        try {
            pool.execute(() -> attempt(delivery));
            return true;
        } catch (TaskRejectedException e) {
            inFlight.remove(delivery.accountId());
            return false;
        }
    }

    private void attempt(WebhookOutbox.Delivery delivery) {
        try {
            if (!sending) {
                outbox.handBack(List.of(delivery.id()));
                return;
            }
            deliver(delivery);
        } catch (RuntimeException e) {
            // the claim runs out and the delivery is retried, by this or another instance
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e, "Webhook delivery {} failed; it will be retried",
                    delivery.id());
        } finally {
            inFlight.remove(delivery.accountId());
        }
        // a sender is free again: look for due work now instead of at the next poll, so that throughput is bound
        // by the receivers rather than by the poll interval
        ThreadPoolTaskScheduler current = poller;
        if (sending && current != null) {
            try {
                current.execute(this::claimRound);
            } catch (TaskRejectedException e) {
                // stopping
            }
        }
    }

    void deliver(WebhookOutbox.Delivery delivery) {
        String error;
        boolean retry = true;
        try {
            WebhookDestinations.Checked destination = destinations.resolve(delivery.url());
            byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
            long now = Instant.now().getEpochSecond();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", "OpenTrackers-Webhook");
            headers.put("X-OpenTrackers-Delivery", Long.toString(delivery.id()));
            headers.put(WebhookSignature.HEADER,
                    WebhookSignature.header(secrets.secretOf(delivery.accountId()), now, body));
            int status = http.post(destination, headers, body, properties.timeout());
            if (status / 100 == 2) {
                outbox.delivered(delivery.id());
                return;
            }
            error = "HTTP " + status;
        } catch (WebhookDestinations.RefusedException e) {
            error = "refused: webhookUrl " + e.getMessage();
            retry = false;
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (!retry || delivery.attempts() >= properties.maxAttempts()) {
            log.warn("Abandoning webhook delivery {} to {} for job {} after {} attempts: {}", delivery.id(),
                    originOf(delivery.url()), delivery.jobId(), delivery.attempts(), error);
            outbox.abandoned(delivery.id(), error);
        } else {
            outbox.failed(delivery.id(), error, Instant.now().plus(backoff(delivery.attempts())));
        }
    }

    /**
     * What the log says of a webhook URL: scheme, host and port only. Receivers' URLs often carry their credential in
     * the path or query (Slack's {@code /services/T…/B…/<secret>}, {@code ?token=}), and logs are read by more people
     * than the database; the whole URL stays in {@code webhook_delivery.url} for whoever may see it.
     */
    static String originOf(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "(a URL without a host)";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return "(an unparsable URL)";
        }
    }

    Duration backoff(int attempts) {
        return backoff(attempts, ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Half of initialBackoff × 2^(attempts−1) (capped at maxBackoff) plus a random share of the other half
     * ({@code jitter} in [0, 1)): notifications that failed together (a receiver that was down) come back spread
     * out instead of all at once, while the wait still grows with every failure.
     */
    Duration backoff(int attempts, double jitter) {
        Duration cap = properties.maxBackoff();
        Duration base = properties.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 30));
        if (base.compareTo(cap) > 0 || base.isNegative()) {
            base = cap;
        }
        Duration half = base.dividedBy(2);
        return half.plusNanos((long) (base.minus(half).toNanos() * jitter));
    }
}
