package io.opentrackers.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The job queue as operators see it: {@code trackers.jobs.waiting} and {@code trackers.jobs.running}, counted in the
 * database, where every instance sharing it keeps its jobs, so each instance reports the same figures (aggregate
 * them with {@code max}, not {@code sum}). A count is one statement over the partial index of active jobs; it is
 * kept for {@link #MAX_AGE}, so scrapes (and several scrapers) cost at most one count per that time. A count that
 * cannot finish within {@link JobRepository#QUEUE_COUNT_TIMEOUT} (the table locked) gives NaN rather than holding
 * the scrape.
 */
@Component
class JobQueueGauges {

    /** How old a count may be when it is scraped; well below any usual scrape interval. */
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(JobQueueGauges.class);

    private final JobRepository jobs;
    private volatile Counted last;

    /** One count of both figures and when it was made (nanoTime); NaN figures when the database could not answer. */
    private record Counted(double waiting, double running, long atNanos) {
    }

    JobQueueGauges(JobRepository jobs, MeterRegistry meters) {
        this.jobs = jobs;
        Gauge.builder("trackers.jobs.waiting", this, gauges -> gauges.current().waiting())
                .description("Jobs waiting for a worker on any instance: scheduled, or handed back / left by a worker "
                        + "that died and due to be claimed again")
                .register(meters);
        Gauge.builder("trackers.jobs.running", this, gauges -> gauges.current().running())
                .description("Jobs running under a live lease on any instance sharing the database")
                .register(meters);
    }

    private Counted current() {
        Counted counted = last;
        if (counted == null || System.nanoTime() - counted.atNanos() > MAX_AGE.toNanos()) {
            synchronized (this) {
                counted = last;
                if (counted == null || System.nanoTime() - counted.atNanos() > MAX_AGE.toNanos()) {
                    counted = count();
                    last = counted;
                }
            }
        }
        return counted;
    }

    private Counted count() {
        try {
            JobRepository.QueueCounts counts = jobs.queueCounts();
            return new Counted(counts.waiting(), counts.running(), System.nanoTime());
        } catch (DataAccessException e) {
            // NaN rather than the last figures: a scrape must not report a queue nobody could count
            log.debug("Could not count the job queue", e);
            return new Counted(Double.NaN, Double.NaN, System.nanoTime());
        }
    }
}
