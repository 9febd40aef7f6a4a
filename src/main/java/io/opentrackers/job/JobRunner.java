package io.opentrackers.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.Stages;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.ConversationTimeline;
import io.opentrackers.matching.MessageContext;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.tracker.TrackerSelection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Processes one claimed job in batches: each batch's hits and the job's progress commit together, so a job
 * taken over after a crash resumes after the last committed batch and never stores a hit twice. A batch is stored
 * while the next one is detected ({@link Pipeline}).
 */
@Component
class JobRunner {

    static final String NO_TRACKERS = TrackerSelection.noTrackerApplied("this job", "it was submitted",
            "enableAllTrackers", "submit the conversation again");

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final TypeReference<List<TrackerDefinition>> TRACKERS = new TypeReference<>() {
    };

    private final JobRepository jobs;
    private final WebhookOutbox webhooks;
    private final ConversationService conversations;
    private final TrackerDetector detector;
    private final JobProperties properties;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private volatile boolean stopping;

    JobRunner(JobRepository jobs, WebhookOutbox webhooks, ConversationService conversations,
            TrackerDetector detector, JobProperties properties, TransactionTemplate transaction, JsonMapper json,
            MeterRegistry meters) {
        this.meters = meters;
        this.jobs = jobs;
        this.webhooks = webhooks;
        this.conversations = conversations;
        this.detector = detector;
        this.properties = properties;
        this.transaction = transaction;
        this.json = json;
    }

    /** Called on shutdown: an interrupted job is left for the next claim instead of being failed. */
    void stopping() {
        stopping = true;
    }

    /** Called on (re)start: a stopped context can be started again (Spring's test context pausing does this). */
    void starting() {
        stopping = false;
    }

    /**
     * Runs a claimed job until it completes, fails or is handed back. Its log lines carry the job, conversation and
     * account ids (MDC), and the time this instance spent on it is recorded by outcome.
     *
     * @param stages threads that read and store the job's batches while its worker detects (see {@link Pipeline})
     */
    void run(JobRepository.ClaimedJob job, String owner, Executor stages) {
        long started = System.nanoTime();
        try (MDC.MDCCloseable jobId = MDC.putCloseable("jobId", job.id());
                MDC.MDCCloseable conversationId = MDC.putCloseable("conversationId", job.conversationId());
                MDC.MDCCloseable accountId = MDC.putCloseable("accountId", job.account().toString())) {
            String outcome;
            try {
                outcome = runClaimed(job, owner, stages);
            } catch (RuntimeException e) {
                // writing how the job ended failed too (the database went away meanwhile): the job stays claimed
                // until its lease runs out and is then taken up again, as after a crash. Until 2026-11-28 this
                // escaped the worker thread, printed by the JVM to standard error past the log ("Exception in
                // thread "job-worker-1""), without the job's id
                DatabaseUnavailable.logRoundFailure(log, Level.ERROR, e,
                        "Job {} could not be ended; it is taken up again when its lease runs out", job.id());
                outcome = "lease-lost";
            }
            Timer.builder("trackers.jobs.run").description("Time an instance spent on one claimed job, by outcome")
                    .tag("outcome", outcome).publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private String runClaimed(JobRepository.ClaimedJob job, String owner, Executor stages) {
        if (job.attempts() > properties.maxAttempts()) {
            finish(job, owner, JobStatus.FAILED, "processing was interrupted " + (job.attempts() - 1)
                    + " times (the service stopped or crashed while running this job)");
            return "failed";
        }
        Pipeline pipeline = new Pipeline(job, owner, stages);
        try {
            String outcome = pipeline.run();
            if (outcome.equals("completed")) {
                finish(job, owner, JobStatus.COMPLETED, null, pipeline.warnings);
            }
            return outcome;
        } catch (RuntimeException e) {
            // the batch being stored, if any, commits or rolls back before the job's end is written: a failed job's
            // progress and hits are exactly those of its committed batches
            pipeline.settle();
            if (stopping || Thread.currentThread().isInterrupted()) {
                return "handed-back";
            }
            if (!stillExists(job)) {
                return deleted(job);
            }
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (TemporaryFailures.isTemporary(e)) {
                if (job.attempts() < properties.maxAttempts()) {
                    return retryLater(job, owner, e);
                }
                log.error("Job {} failed again after {} attempts", job.id(), job.attempts(), e);
                finish(job, owner, JobStatus.FAILED, "processing failed " + job.attempts() + " times, the last: "
                        + reason);
                return "failed";
            }
            log.error("Job {} failed", job.id(), e);
            finish(job, owner, JobStatus.FAILED, "processing failed: " + reason);
            return "failed";
        }
    }

    /**
     * Whether the job was not deleted while it ran; when that cannot be read (the database that failed the job is
     * still away), it is taken as still there, so that a temporary failure is handed back as one.
     */
    private boolean stillExists(JobRepository.ClaimedJob job) {
        try {
            return jobs.exists(job.id());
        } catch (RuntimeException unreachable) {
            return true;
        }
    }

    /**
     * A temporary failure (see {@link TemporaryFailures}) hands the job back to be claimed again after a pause that
     * doubles with each attempt (1 s, 2 s, 4 s … at most the lease), which uses up one of its
     * {@code trackers.jobs.max-attempts}; it resumes after its last committed batch. Should the hand-back itself fail
     * (the database still away), the lease runs out and the job is taken over then, as after a crash.
     */
    private String retryLater(JobRepository.ClaimedJob job, String owner, RuntimeException failure) {
        Duration pause = retryPause(job.attempts(), properties.lease());
        // one line ending in the driver's reason when the database is out of reach (a 37-line stack trace per job
        // until 2026-11-28, beside the pollers' one-line warnings); any other temporary failure keeps its trace
        DatabaseUnavailable.logRoundFailure(log, Level.WARN, failure,
                "Job {} met a temporary failure on attempt {} of {}; it is taken up again in {}", job.id(),
                job.attempts(), properties.maxAttempts(), pause);
        try {
            jobs.retryLater(job.id(), owner, pause);
        } catch (RuntimeException again) {
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, again,
                    "Could not hand job {} back; it is taken up again when its lease runs out", job.id());
        }
        return "retried";
    }

    static Duration retryPause(int attempts, Duration lease) {
        Duration pause = Duration.ofSeconds(1L << Math.min(20, Math.max(0, attempts - 1)));
        return pause.compareTo(lease) > 0 ? lease : pause;
    }

    /**
     * One job's batches in three overlapping stages: while the worker detects batch n, a stage thread stores batch
     * n-1 (its hits and the job's progress in one transaction, guarded by the lease) and another reads batch n+1.
     * At most one batch is being stored at a time and batches are stored in order, each only after the one before
     * it committed, so the committed progress always covers a prefix of the job's messages with all their hits.
     * Every way out waits for the batch being stored ({@link #settle}), so nothing of a job is written after its
     * end, its hand-back or its failure.
     */
    /** A batch of stored sentences and the same sentences as the detector reads them. */
    private record Batch(List<StoredMessage> sentences, List<MessageText> toMatch) {

        /** The whole message of this batch's last sentence by its turn: the next batch may continue that message. */
        Map<Integer, String> lastMessage() {
            int last = sentences.size() - 1;
            if (last < 0 || toMatch.get(last).source() == null) {
                return Map.of();
            }
            return Map.of(sentences.get(last).turn(), toMatch.get(last).source());
        }
    }

    private final class Pipeline {

        private final JobRepository.ClaimedJob job;
        private final String owner;
        private final Executor stages;
        private CompletableFuture<Boolean> storing = CompletableFuture.completedFuture(true);
        private List<String> warnings = List.of();

        Pipeline(JobRepository.ClaimedJob job, String owner, Executor stages) {
            this.job = job;
            this.owner = owner;
            this.stages = stages;
        }

        /** @return the outcome: completed (its end not yet written), handed-back, lease-lost or deleted */
        String run() {
            try {
                return process();
            } finally {
                settle();
            }
        }

        private String process() {
            List<TrackerDefinition> trackers = json.readValue(job.trackersJson(), TRACKERS);
            // windows and speakers are decided on the conversation as it stands now, which this job's messages end
            List<ConversationTimeline.Turn> turns = conversations.turns(job.account(), job.conversationId());
            List<MessageContext> contexts = ConversationTimeline.contexts(turns, true);
            warnings = new ArrayList<>(ConversationTimeline.untimedWarnings(trackers, turns));
            if (trackers.isEmpty()) {
                // a job submitted before the account had any tracker completed with no hits and no word of why
                warnings.add(NO_TRACKERS);
            }
            int done = job.done();
            CompletableFuture<Batch> reading = done < job.total() ? read(done, contexts, Map.of()) : null;
            while (done < job.total()) {
                if (stopping || Thread.currentThread().isInterrupted()) {
                    return "handed-back"; // shutting down: the lease is released and the job resumes elsewhere
                }
                Batch batch = Stages.awaitUninterruptibly(reading);
                if (batch.sentences().isEmpty()) {
                    // messages go only with their whole conversation, and this job with them
                    if (!jobs.exists(job.id())) {
                        return deleted(job);
                    }
                    break; // guards against looping forever
                }
                int next = done + batch.sentences().size();
                reading = next < job.total() ? read(next, contexts, batch.lastMessage()) : null;
                TrackerDetector.HitsAndVectors detected = detector.detectKeepingVectors(job.account(), trackers,
                        batch.toMatch());
                if (!Stages.awaitUninterruptibly(storing)) {
                    return leaseLost();
                }
                storing = store(next, detected, batch.sentences().stream().map(StoredMessage::id).toList());
                done = next;
            }
            return Stages.awaitUninterruptibly(storing) ? "completed" : leaseLost();
        }

        /**
         * Reads the next batch's sentences and what the detector needs of them (each in its whole message);
         * {@code continued}: the whole message the previous batch ended in, by turn, not read again.
         */
        private CompletableFuture<Batch> read(int done, List<MessageContext> contexts,
                Map<Integer, String> continued) {
            int from = job.firstSeq() + done;
            int to = Math.min(job.lastSeq(), from + properties.batchSize() - 1);
            return CompletableFuture.supplyAsync(() -> {
                List<StoredMessage> sentences = conversations.messages(job.account(), job.conversationId(), from, to);
                return new Batch(sentences,
                        conversations.toMatch(job.account(), job.conversationId(), sentences, contexts, continued));
            }, stages);
        }

        /**
         * Stores a batch's hits with the job's new progress; false when the lease is no longer this worker's. The
         * hits go first: storing them locks the conversation, and taking that lock before the job's row is the order
         * a delete of the conversation takes them in (conversation, then its jobs), so the two cannot deadlock. A
         * conversation deleted meanwhile fails the batch ({@link io.opentrackers.common.NotFoundException}).
         */
        private CompletableFuture<Boolean> store(int done, TrackerDetector.HitsAndVectors detected,
                List<String> sentenceIds) {
            return CompletableFuture.supplyAsync(() -> Boolean.TRUE.equals(transaction.execute(status -> {
                conversations.recordHits(job.account(), job.conversationId(), detected.hits(), sentenceIds,
                        detected.ownVectors());
                if (!jobs.advance(job.id(), owner, done)) {
                    status.setRollbackOnly(); // the hits are the new lease holder's to store
                    return false;
                }
                return true;
            })), stages);
        }

        private String leaseLost() {
            if (!jobs.exists(job.id())) {
                return deleted(job);
            }
            if (!stopping) {
                log.warn("Lost the lease of job {}; another instance continues it", job.id());
            }
            // when stopping: the job was handed back while a batch ran, and resumes after its last committed batch
            return stopping ? "handed-back" : "lease-lost";
        }

        /** Waits until the batch being stored, if any, has committed or rolled back; its outcome is not needed. */
        void settle() {
            try {
                Stages.awaitUninterruptibly(storing);
            } catch (RuntimeException e) {
                // the job ends anyway; what was committed before stays and the failed batch left nothing behind
            }
        }
    }

    /**
     * The job's conversation was deleted while it ran ({@code DELETE /v1/conversations/{id}} deletes its jobs): it
     * stops where it is, with nothing to record and no webhook to send, since its row went with the conversation.
     */
    private static String deleted(JobRepository.ClaimedJob job) {
        log.info("Job {} stopped: its conversation {} was deleted", job.id(), job.conversationId());
        return "deleted";
    }

    private void finish(JobRepository.ClaimedJob job, String owner, JobStatus status, String error) {
        finish(job, owner, status, error, List.of());
    }

    private void finish(JobRepository.ClaimedJob job, String owner, JobStatus status, String error,
            List<String> warnings) {
        transaction.executeWithoutResult(tx -> {
            if (jobs.finish(job.id(), owner, status, error, warnings)) {
                webhooks.enqueue(job.id(), job.webhookUrl(), status);
            }
        });
    }
}
