package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.ConflictException;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.common.TooManyRequestsException;
import io.opentrackers.common.UnprocessableException;
import io.opentrackers.conversation.Conversation;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerReference;
import io.opentrackers.tracker.TrackerSelection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts conversations for processing. A submit stores the conversation's messages and the job (with the
 * tracker definitions resolved now, so later tracker edits do not change what the job looks for) in one
 * transaction: once the client has its 201, the work is in PostgreSQL and survives any crash.
 */
@Service
class JobService {

    private final ConversationService conversations;
    private final TrackerCatalog catalog;
    private final JobRepository jobs;
    private final WebhookOutbox webhooks;
    private final WebhookDestinations destinations;
    private final JobWorker worker;
    private final JobProperties properties;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    JobService(ConversationService conversations, TrackerCatalog catalog, JobRepository jobs, WebhookOutbox webhooks,
            WebhookDestinations destinations, JobWorker worker, JobProperties properties,
            TransactionTemplate transaction, JsonMapper json) {
        this.conversations = conversations;
        this.catalog = catalog;
        this.jobs = jobs;
        this.webhooks = webhooks;
        this.destinations = destinations;
        this.worker = worker;
        this.properties = properties;
        this.transaction = transaction;
        this.json = json;
    }

    /**
     * Stores the conversation and schedules its job, or refuses the request with every violation at once: those
     * {@code violations} the submission's own rules found, plus those of its trackers and webhook destination. With
     * an {@code Idempotency-Key} ({@code key}, null without one), a retry gets the first request's job
     * ({@link #earlier}).
     */
    Scheduled submit(AccountId account, Submission submission, List<FieldViolation> violations, String key) {
        IdempotentRequest request = idempotent(key, "POST /v1/process/text", submission);
        Optional<Scheduled> earlier = earlier(account, request, violations);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        List<TrackerDefinition> trackers = check(account, submission, submission.selection(), violations);
        return transaction.execute(status -> {
            jobs.lockAccount(account);
            return earlier(account, request, violations).orElseGet(() -> {
                checkActiveLimit(account);
                Conversation conversation = conversations.create(account, submission.name(), Conversation.SOURCE_ASYNC);
                return schedule(account, conversation, submission, submission.selection(), trackers, request);
            });
        });
    }

    /** A submit or append's answer: the job scheduled, or the one an earlier request with its key scheduled. */
    record Scheduled(ProcessTextRequest.Accepted accepted, boolean replayed) {
    }

    /**
     * The job an earlier request with the same {@code Idempotency-Key} scheduled, answered again: a client that lost
     * the first answer and sends the request again gets it, not a second job with the same messages (an append sent
     * twice stored them twice). Looked for before the request is checked, so a retry gets its answer even after the
     * trackers it named changed or the account reached its job limit with that very job; and again under the
     * account's lock, where two copies sent at once are decided one after the other. Another request with the key
     * is refused (422): its job would not be the one the key stands for.
     */
    private Optional<Scheduled> earlier(AccountId account, IdempotentRequest request, List<FieldViolation> violations) {
        if (request == null || !violations.isEmpty()) {
            return Optional.empty();
        }
        return jobs.byIdempotencyKey(account, request.key()).map(earlier -> {
            if (!MessageDigest.isEqual(earlier.fingerprint(), request.fingerprint())) {
                String reason = "was sent before with another request (job '" + earlier.jobId() + "'); a key stands "
                        + "for one request: make a new key for a new request, and send a retry exactly as the first";
                throw new UnprocessableException("idempotency-key-reused", IdempotentRequest.HEADER + " "
                        + reason, List.of(FieldViolation.of(IdempotentRequest.HEADER, reason)));
            }
            return new Scheduled(new ProcessTextRequest.Accepted(earlier.conversationId(), earlier.jobId()), true);
        });
    }

    /** The request's key with a fingerprint of what it asks for (the operation, its conversation, its content). */
    private IdempotentRequest idempotent(String key, String operation, Submission submission) {
        if (key == null) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((operation + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(json.writeValueAsBytes(submission));
            return new IdempotentRequest(key, sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Appends to an existing conversation and schedules a job for the new messages only. Without
     * {@code trackers} and {@code enableAllTrackers} the conversation keeps the selection of its latest job.
     * A streamed conversation is refused (409): its stream alone numbers its messages and decides their windows, with
     * the trackers it started with; a job's messages slipped in between a live stream's, which then placed its next
     * messages one position too early and decided their end windows without context.
     */
    Scheduled append(AccountId account, String conversationId, Submission submission,
            List<FieldViolation> violations, String key) {
        IdempotentRequest request = idempotent(key, "PUT /v1/process/text/" + conversationId, submission);
        Optional<Scheduled> earlier = earlier(account, request, violations);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Conversation conversation = conversations.get(account, conversationId);
        if (Conversation.SOURCE_STREAMING.equals(conversation.source())) {
            throw new ConflictException("streamed-conversation", "Conversation '" + conversationId + "' was recorded "
                    + "by a stream, whose messages come from the stream alone; PUT appends to conversations submitted "
                    + "with POST /v1/process/text. Submit this text as a new conversation", List.of());
        }
        TrackerSelection selection = submission.selection().isUnspecified()
                ? jobs.latestSelection(conversationId).map(text -> withoutDeleted(account,
                        json.readValue(text, TrackerSelection.class))).orElse(submission.selection())
                : submission.selection();
        List<TrackerDefinition> trackers = check(account, submission, selection, violations);
        return transaction.execute(status -> {
            jobs.lockAccount(account);
            return earlier(account, request, violations).orElseGet(() -> {
                checkActiveLimit(account);
                if (submission.name() != null) {
                    // the name of the append is the conversation's name from now on, as with the first submit's
                    conversations.rename(account, conversationId, submission.name());
                }
                return schedule(account, conversation, submission, selection, trackers, request);
            });
        });
    }

    /**
     * A previous job's selection without its references to managed trackers deleted since: the client did not send
     * them with this append, so they cannot be refused as its {@code trackers[i].id}; the trackers that remain
     * still apply.
     */
    private TrackerSelection withoutDeleted(AccountId account, TrackerSelection selection) {
        if (selection.trackers() == null || selection.trackers().stream().noneMatch(TrackerReference::isReference)) {
            return selection;
        }
        Set<String> existing = catalog.allOf(account).stream().map(TrackerDefinition::id).collect(Collectors.toSet());
        return new TrackerSelection(selection.trackers().stream()
                .filter(tracker -> !tracker.isReference() || existing.contains(tracker.id())).toList(),
                selection.enableAllTrackers());
    }

    /**
     * The job's status. A job is deleted with its conversation ({@code DELETE /v1/conversations/{id}}), so the 404
     * says that this may be why: the service keeps nothing of a deleted conversation to tell the two apart by, and an
     * unknown id, another account's and a deleted one must answer alike anyway. The id of one of the caller's own
     * conversations, which the same 201 answers beside the job's, is named as such, with the conversation's latest
     * job to follow instead.
     */
    JobView status(AccountId account, String jobId) {
        return jobs.find(account, jobId).orElseThrow(() -> new NotFoundException(jobs.latestJobOf(account, jobId)
                .map(latest -> "Job '" + jobId + "' not found: '" + jobId + "' is the id of a conversation; its "
                        + "latest job is '" + latest + "' (GET /v1/job/" + latest + "), and GET /v1/conversations/"
                        + jobId + " shows the conversation")
                .orElse("Job '" + jobId + "' not found (a job is deleted with its conversation)")));
    }

    /**
     * Resolves the tracker selection and checks the webhook destination, adding their violations to those the
     * submission's own rules found, and refuses the request with all of them before anything is stored. The
     * destination is checked here rather than with {@link Submission}'s syntax rules because it depends on the
     * operator's configuration and on DNS (see {@link WebhookDestinations}); the sender checks again before each
     * attempt, since DNS answers change.
     */
    private List<TrackerDefinition> check(AccountId account, Submission submission, TrackerSelection selection,
            List<FieldViolation> violations) {
        if (!submission.messages().isEmpty()) {
            // the sentences are the messages a job matches and stores; schedule splits them again as it stores them
            int sentences = conversations.sentences(submission.messages()).size();
            if (sentences > properties.maxSentences()) {
                violations.add(FieldViolation.of(submission.messagesField(), "the messages hold " + sentences
                        + " sentences, at most " + properties.maxSentences() + " per request; send the conversation "
                        + "in parts, appending each with PUT /v1/process/text/{conversationId}"));
            }
        }
        List<TrackerDefinition> trackers = List.of();
        try {
            trackers = catalog.resolve(account, selection);
        } catch (InvalidInputException e) {
            e.violations().forEach(violation -> violations.add(submission.asRequested(violation)));
        }
        if (violations.stream().noneMatch(violation -> "webhookUrl".equals(violation.field()))) {
            try {
                destinations.checkSubmitted(submission.webhookUrl());
            } catch (InvalidInputException e) {
                violations.addAll(e.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return trackers;
    }

    /** Under the account's lock ({@link JobRepository#lockAccount}), taken by the transaction that inserts the job. */
    private void checkActiveLimit(AccountId account) {
        int active = jobs.countActive(account);
        if (active >= properties.maxActivePerAccount()) {
            Duration retryAfter = retryAfter(account);
            throw new TooManyRequestsException("This account already has " + active + " scheduled or running jobs "
                    + "(limit " + properties.maxActivePerAccount() + "); retry when one has finished, in about "
                    + retryAfter.toSeconds() + " s", retryAfter);
        }
    }

    /** Retry-After of a submit over the limit when no running job of the account shows progress to go by. */
    static final Duration RETRY_WITHOUT_PROGRESS = Duration.ofSeconds(5);
    /** Bounds of Retry-After: a client told to wait longer than this asks again and gets a fresh estimate. */
    static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    /**
     * When the account's next job should have finished, freeing a place (docs/jobs.md, "Limits"): the soonest of its
     * running jobs extrapolated from its progress, within 1 s and 5 min; 5 s when none has progress to go by.
     */
    private Duration retryAfter(AccountId account) {
        Duration estimate = jobs.soonestFinish(account).orElse(RETRY_WITHOUT_PROGRESS);
        Duration whole = Duration.ofSeconds((estimate.toMillis() + 999) / 1000);
        return whole.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER
                : whole.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : whole;
    }

    private Scheduled schedule(AccountId account, Conversation conversation, Submission submission,
            TrackerSelection selection, List<TrackerDefinition> trackers, IdempotentRequest request) {
        String conversationId = conversation.id();
        List<StoredMessage> stored = conversations.append(account, conversationId,
                submission.messagesIn(conversation.createdOn()));
        String jobId = UUID.randomUUID().toString();
        jobs.insert(jobId, account, conversationId, json.writeValueAsString(trackers),
                json.writeValueAsString(selection), stored.get(0).sequence(),
                stored.get(stored.size() - 1).sequence(), submission.webhookUrl(), Instant.now(), request);
        webhooks.enqueue(jobId, submission.webhookUrl(), JobStatus.SCHEDULED);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                worker.wakeUp();
            }
        });
        return new Scheduled(new ProcessTextRequest.Accepted(conversationId, jobId), false);
    }
}
