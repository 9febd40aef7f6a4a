package io.opentrackers.job;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs jobs on at most {@code trackers.jobs.workers} threads. A poller claims jobs while a worker is free (at a
 * fixed interval, and at once when this instance accepted a job); a heartbeat renews the leases of the jobs it
 * runs. A job whose instance died keeps its lease only until it runs out, then any instance takes it over and
 * resumes it after the last committed batch.
 */
@Component
class JobWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

    private final JobRepository jobs;
    private final JobRunner runner;
    private final JobProperties properties;
    private final WebhookOutbox webhooks;
    private final TransactionTemplate transaction;
    /** Identifies this instance's leases; new at every start, so a restarted instance never trusts old ones. */
    private final String owner = UUID.randomUUID().toString();
    private final Semaphore freeWorkers;
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    /** Jobs running on this instance right now: only their leases are renewed. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService scheduler;
    private volatile ExecutorService workers;

    JobWorker(JobRepository jobs, JobRunner runner, JobProperties properties, WebhookOutbox webhooks,
            TransactionTemplate transaction) {
        this.jobs = jobs;
        this.webhooks = webhooks;
        this.transaction = transaction;
        this.runner = runner;
        this.properties = properties;
        this.freeWorkers = new Semaphore(properties.workers());
    }

    static ThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
        factory.setDaemon(true);
        return factory;
    }

    @Override
    public void start() {
        runner.starting();
        workers = Executors.newFixedThreadPool(properties.workers(), daemonThreads("job-worker-"));
        scheduler = Executors.newScheduledThreadPool(1, daemonThreads("job-poller-"));
        long poll = properties.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::poll, 0, poll, TimeUnit.MILLISECONDS);
        long heartbeat = Math.max(properties.lease().toMillis() / 3, 100);
        scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        log.info("Job workers started: {} threads, lease {}, instance {}", properties.workers(), properties.lease(),
                owner);
    }

    @Override
    public void stop() {
        runner.stopping();
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            jobs.releaseLeases(owner);
        } catch (RuntimeException e) {
            log.warn("Could not release job leases; they will expire after {}", properties.lease(), e);
        }
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Looks for work now instead of at the next poll (called after a submit commits). */
    void wakeUp() {
        ScheduledExecutorService current = scheduler;
        if (current != null && pollQueued.compareAndSet(false, true)) {
            current.execute(() -> {
                pollQueued.set(false);
                poll();
            });
        }
    }

    private void poll() {
        try {
            while (freeWorkers.tryAcquire()) {
                Optional<JobRepository.ClaimedJob> claimed = transaction.execute(status -> claim());
                if (claimed.isEmpty()) {
                    freeWorkers.release();
                    return;
                }
                String jobId = claimed.get().id();
                running.add(jobId);
                workers.execute(() -> {
                    try {
                        runner.run(claimed.get(), owner);
                    } finally {
                        running.remove(jobId);
                        freeWorkers.release();
                        wakeUp();
                    }
                });
            }
        } catch (RuntimeException e) {
            freeWorkers.release();
            log.warn("Polling for jobs failed; will retry", e);
        }
    }

    /** The in_progress notification commits with the claim; a takeover after a crash sends none. */
    private Optional<JobRepository.ClaimedJob> claim() {
        Optional<JobRepository.ClaimedJob> claimed = jobs.claim(owner, properties.lease());
        claimed.filter(job -> job.previousStatus() == JobStatus.SCHEDULED)
                .ifPresent(job -> webhooks.enqueue(job.id(), job.webhookUrl(), JobStatus.IN_PROGRESS));
        return claimed;
    }

    private void heartbeat() {
        try {
            if (!running.isEmpty()) {
                jobs.renewLeases(owner, List.copyOf(running), properties.lease());
            }
        } catch (RuntimeException e) {
            log.warn("Could not renew job leases", e);
        }
    }
}
