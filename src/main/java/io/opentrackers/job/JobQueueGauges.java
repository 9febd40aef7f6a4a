package io.opentrackers.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.common.PeriodicChore;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The job queue as operators see it: {@code trackers.jobs.waiting} and {@code trackers.jobs.running}, counted in the
 * database, where every instance sharing it keeps its jobs, so each instance reports the same figures (aggregate
 * them with {@code max}, not {@code sum}). A count is one statement over the partial index of active jobs.
 *
 * <p>The counting is done on a thread of its own, every {@link #REFRESH_EVERY}; a scrape only reads the last count
 * and never touches the database. Until 2026-11-27 the scrape counted: a locked {@code job} table held it for the
 * count's timeout, and an unreachable database for the pool's connection timeout (30 s), long enough for
 * Prometheus to drop every metric of the instance. A count that is not fresh (the last refresh failed, or has not
 * come back for {@link #MAX_AGE}, as while the database cannot be reached) reads NaN: nobody could count the queue,
 * and an old figure would look like a current one.
 */
@Component
class JobQueueGauges extends PeriodicChore {

    /** How often the queue is counted; well below any usual scrape interval. */
    static final Duration REFRESH_EVERY = Duration.ofSeconds(5);

    /**
     * The oldest count a scrape shows: a refresh may take up to {@link JobRepository#QUEUE_COUNT_TIMEOUT} after its
     * {@link #REFRESH_EVERY}, so a count older than this means refreshes are stuck (waiting for a connection).
     */
    static final Duration MAX_AGE = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(JobQueueGauges.class);

    /** One count of both figures and when it was made (nanoTime); NaN figures when the database could not answer. */
    private record Counted(double waiting, double running, long atNanos) {
    }

    private final Supplier<JobRepository.QueueCounts> counter;
    private final LongSupplier nanoTime;
    private volatile Counted last;

    @Autowired
    JobQueueGauges(JobRepository jobs, MeterRegistry meters) {
        this(jobs::queueCounts, meters, System::nanoTime);
    }

    /** With the counting and the clock given: tests drive {@link #refresh} themselves and move the clock. */
    JobQueueGauges(Supplier<JobRepository.QueueCounts> counter, MeterRegistry meters, LongSupplier nanoTime) {
        // a refresh stuck on the database at shutdown is only a count: not waited for beyond the count's own bound
        super("job-queue-count-", REFRESH_EVERY, JobRepository.QUEUE_COUNT_TIMEOUT);
        this.counter = counter;
        this.nanoTime = nanoTime;
        Gauge.builder("trackers.jobs.waiting", this, gauges -> gauges.fresh().waiting())
                .description("Jobs waiting for a worker on any instance: scheduled, or handed back / left by a worker "
                        + "that died and due to be claimed again")
                .register(meters);
        Gauge.builder("trackers.jobs.running", this, gauges -> gauges.fresh().running())
                .description("Jobs running under a live lease on any instance sharing the database")
                .register(meters);
    }

    /** What a scrape reads: the last count if it is fresh, else NaN. Never waits for anything. */
    private Counted fresh() {
        Counted counted = last;
        if (counted == null || nanoTime.getAsLong() - counted.atNanos() > MAX_AGE.toNanos()) {
            return new Counted(Double.NaN, Double.NaN, 0);
        }
        return counted;
    }

    /** Counts the queue once (on the refresh thread, or a test's). */
    void refresh() {
        try {
            JobRepository.QueueCounts counts = counter.get();
            last = new Counted(counts.waiting(), counts.running(), nanoTime.getAsLong());
        } catch (RuntimeException e) {
            // NaN rather than the last figures: a scrape must not report a queue nobody could count. Caught whatever
            // it is, since an exception would end the periodic refresh for good.
            log.debug("Could not count the job queue", e);
            last = new Counted(Double.NaN, Double.NaN, nanoTime.getAsLong());
        }
    }

    @Override
    protected void runRound() {
        refresh();
    }
}
