package io.opentrackers.common;

import java.time.Duration;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Background work an instance repeats on a thread of its own while it runs: once at start-up, then
 * {@code interval} after each round ends. It stops with the job poller ({@link ShutdownPhases#STOP_TAKING_WORK}),
 * while the database is still there, letting a round under way finish for at most {@code finishRoundFor}.
 *
 * <p>A round must catch what it can recover from: an exception thrown out of {@link #runRound} ends the schedule.
 */
public abstract class PeriodicChore implements SmartLifecycle {

    private final String threadNamePrefix;
    private final Duration interval;
    private final Duration finishRoundFor;
    private volatile ThreadPoolTaskScheduler scheduler;
    private volatile boolean stopping;

    protected PeriodicChore(String threadNamePrefix, Duration interval, Duration finishRoundFor) {
        this.threadNamePrefix = threadNamePrefix;
        this.interval = interval;
        this.finishRoundFor = finishRoundFor;
    }

    /** One round of the work. */
    protected abstract void runRound();

    /** How long the chore waits between rounds (what its logs quote as "retrying in …"). */
    protected final Duration interval() {
        return interval;
    }

    /**
     * True once the instance is stopping: a round that works through many steps (batches) ends at the next one instead
     * of running on past {@code finishRoundFor} while the database closes under it.
     */
    protected final boolean stopping() {
        return stopping;
    }

    @Override
    public void start() {
        stopping = false;
        ThreadPoolTaskScheduler started = new ThreadPoolTaskScheduler();
        started.setThreadNamePrefix(threadNamePrefix);
        started.setDaemon(true);
        started.setPoolSize(1);
        started.setWaitForTasksToCompleteOnShutdown(true);
        started.setAwaitTerminationMillis(finishRoundFor.toMillis());
        started.initialize();
        started.scheduleWithFixedDelay(this::runRound, interval);
        scheduler = started;
    }

    @Override
    public void stop() {
        stopping = true;
        ThreadPoolTaskScheduler current = scheduler;
        if (current != null) {
            current.shutdown();
        }
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.STOP_TAKING_WORK;
    }
}
