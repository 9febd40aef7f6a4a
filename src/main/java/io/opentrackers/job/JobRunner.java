package io.opentrackers.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.ConversationTimeline;
import io.opentrackers.matching.MessageContext;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Processes one claimed job in batches: each batch's hits and the job's progress commit together, so a job
 * taken over after a crash resumes after the last committed batch and never stores a hit twice.
 */
@Component
class JobRunner {

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
     */
    void run(JobRepository.ClaimedJob job, String owner) {
        long started = System.nanoTime();
        try (MDC.MDCCloseable jobId = MDC.putCloseable("jobId", job.id());
                MDC.MDCCloseable conversationId = MDC.putCloseable("conversationId", job.conversationId());
                MDC.MDCCloseable accountId = MDC.putCloseable("accountId", job.account().toString())) {
            String outcome = runClaimed(job, owner);
            Timer.builder("trackers.jobs.run").description("Time an instance spent on one claimed job, by outcome")
                    .tag("outcome", outcome).publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private String runClaimed(JobRepository.ClaimedJob job, String owner) {
        if (job.attempts() > properties.maxAttempts()) {
            finish(job, owner, JobStatus.FAILED, "processing was interrupted " + (job.attempts() - 1)
                    + " times (the service stopped or crashed while running this job)");
            return "failed";
        }
        try {
            List<TrackerDefinition> trackers = json.readValue(job.trackersJson(), TRACKERS);
            // windows and speakers are decided on the conversation as it stands now, which this job's messages end
            List<ConversationTimeline.Turn> turns = conversations.turns(job.account(), job.conversationId());
            List<MessageContext> contexts = ConversationTimeline.contexts(turns, true);
            List<String> warnings = ConversationTimeline.untimedWarnings(trackers, turns);
            int done = job.done();
            while (done < job.total()) {
                if (stopping || Thread.currentThread().isInterrupted()) {
                    return "handed-back"; // shutting down: the lease is released and the job resumes elsewhere
                }
                int from = job.firstSeq() + done;
                int to = Math.min(job.lastSeq(), from + properties.batchSize() - 1);
                List<StoredMessage> batch = conversations.messages(job.account(), job.conversationId(), from, to);
                List<TrackerHit> hits = trackers.isEmpty() ? List.of() : detector.detect(trackers,
                        conversations.toMatch(job.account(), job.conversationId(), batch, contexts));
                int next = done + batch.size();
                Boolean kept = transaction.execute(status -> {
                    if (!jobs.advance(job.id(), owner, next)) {
                        return false;
                    }
                    conversations.recordHits(job.account(), job.conversationId(), hits);
                    return true;
                });
                if (!Boolean.TRUE.equals(kept)) {
                    if (!stopping) {
                        log.warn("Lost the lease of job {}; another instance continues it", job.id());
                    }
                    // when stopping: the job was handed back while this batch ran, and resumes before it
                    return stopping ? "handed-back" : "lease-lost";
                }
                done = next;
                if (batch.isEmpty()) {
                    break; // cannot happen while messages are never deleted; guards against looping forever
                }
            }
            finish(job, owner, JobStatus.COMPLETED, null, warnings);
            return "completed";
        } catch (RuntimeException e) {
            if (stopping || Thread.currentThread().isInterrupted()) {
                return "handed-back";
            }
            log.error("Job {} failed", job.id(), e);
            finish(job, owner, JobStatus.FAILED, "processing failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return "failed";
        }
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
