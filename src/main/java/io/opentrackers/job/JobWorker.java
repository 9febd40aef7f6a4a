package io.opentrackers.job;

import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.ShutdownPhases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs jobs on at most {@code trackers.jobs.workers} threads. A poller claims jobs while a worker is free (at a
 * fixed interval, and at once when this instance accepted a job); a heartbeat renews the leases of the jobs it
 * runs. A job whose instance died keeps its lease only until it runs out, then any instance takes it over and
 * resumes it after the last committed batch.
 *
 * <p>On shutdown ({@link ShutdownPhases#STOP_TAKING_WORK}) it stops claiming, lets running jobs reach their next
 * batch boundary (at most {@code trackers.jobs.shutdown-wait}) and hands them back by releasing their leases while
 * the database is still up. The pools are Spring's, created and shut down by this lifecycle rather than declared
 * as beans: executor beans shut themselves down on the context-closed event, before any phase, which would take
 * the threads away from under the ordered stop.
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
    /** False from the first moment of a stop: a poll already under way claims nothing more. */
    private volatile boolean claiming;
    private volatile ThreadPoolTaskScheduler scheduler;
    private volatile ThreadPoolTaskExecutor workers;
    private volatile ThreadPoolTaskExecutor stages;

    JobWorker(JobRepository jobs, JobRunner runner, JobProperties properties, WebhookOutbox webhooks,
            TransactionTemplate transaction) {
        this.jobs = jobs;
        this.webhooks = webhooks;
        this.transaction = transaction;
        this.runner = runner;
        this.properties = properties;
        this.freeWorkers = new Semaphore(properties.workers());
    }

    /**
     * A single-threaded scheduler of daemon threads (a thread that overruns its shutdown wait must not keep the JVM
     * alive). Shutting it down cancels its periodic tasks and waits up to {@code finishRunFor} for a run under way,
     * instead of interrupting it in the middle of a statement.
     */
    static ThreadPoolTaskScheduler scheduler(String threadNamePrefix, Duration finishRunFor) {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix(threadNamePrefix);
        scheduler.setDaemon(true);
        scheduler.setPoolSize(1);
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationMillis(finishRunFor.toMillis());
        scheduler.initialize();
        return scheduler;
    }

    /**
     * The threads that read and store a job's batches while its worker detects the next one: two per worker (one
     * batch read ahead, one being stored), carrying the job's logging context. A task refused because the pool shut
     * down under a job that outran the shutdown wait runs on the job's own thread, as it did before the stages
     * existed (a store it attempts then is refused by the lease, which has been handed back).
     */
    private static ThreadPoolTaskExecutor stagePool(int workers) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix("job-stage-");
        pool.setDaemon(true);
        pool.setCorePoolSize(2 * workers);
        pool.setMaxPoolSize(2 * workers);
        pool.setTaskDecorator(task -> {
            Map<String, String> context = MDC.getCopyOfContextMap();
            return () -> {
                Map<String, String> previous = MDC.getCopyOfContextMap();
                if (context == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(context);
                }
                try {
                    task.run();
                } finally {
                    if (previous == null) {
                        MDC.clear();
                    } else {
                        MDC.setContextMap(previous);
                    }
                }
            };
        });
        pool.setRejectedExecutionHandler((task, executor) -> task.run());
        pool.setWaitForTasksToCompleteOnShutdown(true);
        pool.setAwaitTerminationMillis(Duration.ofSeconds(5).toMillis());
        pool.initialize();
        return pool;
    }

    @Override
    public void start() {
        runner.starting();
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix("job-worker-");
        pool.setDaemon(true);
        pool.setCorePoolSize(properties.workers());
        pool.setMaxPoolSize(properties.workers());
        // shutting down waits for running jobs, which stop at their next batch boundary, instead of interrupting
        // them inside a transaction
        pool.setWaitForTasksToCompleteOnShutdown(true);
        pool.setAwaitTerminationMillis(properties.shutdownWait().toMillis());
        pool.initialize();
        workers = pool;
        stages = stagePool(properties.workers());
        // a poll or a renewal is a few short statements; the wait only has to outlast one of them
        scheduler = scheduler("job-poller-", Duration.ofSeconds(5));
        claiming = true;
        scheduler.scheduleWithFixedDelay(this::poll, properties.pollInterval());
        Duration heartbeat = Duration.ofMillis(Math.max(properties.lease().toMillis() / 3, 100));
        scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeat);
        log.info("Job workers started: {} threads, lease {}, instance {}", properties.workers(), properties.lease(),
                owner);
    }

    /**
     * Stop taking work, let running jobs reach a batch boundary, hand them back. The poller is shut down first and
     * waited for, so that no claim can commit after the leases were released and keep a job away until its lease
     * runs out; a job it claimed in that last moment starts, sees the stop and is handed back with the others.
     */
    @Override
    public void stop() {
        claiming = false;
        runner.stopping();
        scheduler.shutdown();
        workers.shutdown();
        // after the jobs: a job waits for its batch being stored before it returns
        stages.shutdown();
        if (!running.isEmpty()) {
            log.warn("Jobs {} did not reach a batch boundary within {}; handing them back anyway (a batch they "
                    + "commit late is refused, since the lease is no longer theirs)", running,
                    properties.shutdownWait());
        }
        try {
            int handedBack = jobs.releaseLeases(owner);
            if (handedBack > 0) {
                log.info("Handed {} running job(s) back to the queue", handedBack);
            }
        } catch (RuntimeException e) {
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e, "Could not release job leases; they will expire after {}",
                    properties.lease());
        }
        scheduler = null;
        workers = null;
        stages = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.STOP_TAKING_WORK;
    }

    /** Looks for work now instead of at the next poll (called after a submit commits). */
    void wakeUp() {
        ThreadPoolTaskScheduler current = scheduler;
        if (current != null && claiming && pollQueued.compareAndSet(false, true)) {
            try {
                current.execute(() -> {
                    pollQueued.set(false);
                    poll();
                });
            } catch (TaskRejectedException stopping) {
                pollQueued.set(false); // the poller shut down after the check above: nothing more is claimed
            }
        }
    }

    private void poll() {
        try {
            while (claiming && freeWorkers.tryAcquire()) {
                Optional<JobRepository.ClaimedJob> claimed = transaction.execute(status -> claim());
                if (claimed.isEmpty()) {
                    freeWorkers.release();
                    return;
                }
                String jobId = claimed.get().id();
                running.add(jobId);
                workers.execute(() -> {
                    try {
                        runner.run(claimed.get(), owner, stages);
                    } finally {
                        running.remove(jobId);
                        freeWorkers.release();
                        wakeUp();
                    }
                });
            }
        } catch (RuntimeException e) {
            freeWorkers.release();
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e, "Polling for jobs failed; will retry");
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
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e, "Could not renew job leases; will retry");
        }
    }
}
