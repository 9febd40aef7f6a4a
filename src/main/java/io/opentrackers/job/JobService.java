package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.common.TooManyRequestsException;
import io.opentrackers.conversation.Conversation;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerSelection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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

    ProcessTextRequest.Accepted submit(AccountId account, Submission submission) {
        checkWebhookDestination(submission);
        List<TrackerDefinition> trackers = resolve(account, submission.selection());
        return transaction.execute(status -> {
            checkActiveLimit(account);
            Conversation conversation = conversations.create(account, submission.name(), Conversation.SOURCE_ASYNC);
            return schedule(account, conversation, submission, submission.selection(), trackers);
        });
    }

    /**
     * Appends to an existing conversation and schedules a job for the new messages only. Without
     * {@code trackers} and {@code enableAllTrackers} the conversation keeps the selection of its latest job.
     */
    ProcessTextRequest.Accepted append(AccountId account, String conversationId, Submission submission) {
        Conversation conversation = conversations.get(account, conversationId);
        checkWebhookDestination(submission);
        TrackerSelection selection = submission.selection().isUnspecified()
                ? jobs.latestSelection(conversationId).map(text -> json.readValue(text, TrackerSelection.class))
                        .orElse(submission.selection())
                : submission.selection();
        List<TrackerDefinition> trackers = resolve(account, selection);
        return transaction.execute(status -> {
            checkActiveLimit(account);
            return schedule(account, conversation, submission, selection, trackers);
        });
    }

    JobView status(AccountId account, String jobId) {
        return jobs.find(account, jobId).orElseThrow(() -> new NotFoundException("Job '" + jobId + "' not found"));
    }

    /**
     * Refuses a webhook the service must not call (see {@link WebhookDestinations}) before anything is stored. It runs
     * here rather than with {@link Submission}'s syntax rules because it depends on the operator's configuration and
     * on DNS; the sender checks again before each attempt, since DNS answers change.
     */
    private void checkWebhookDestination(Submission submission) {
        destinations.checkSubmitted(submission.webhookUrl());
    }

    private List<TrackerDefinition> resolve(AccountId account, TrackerSelection selection) {
        return catalog.resolve(account, selection);
    }

    private void checkActiveLimit(AccountId account) {
        jobs.lockAccount(account);
        int active = jobs.countActive(account);
        if (active >= properties.maxActivePerAccount()) {
            throw new TooManyRequestsException("This account already has " + active + " scheduled or running jobs "
                    + "(limit " + properties.maxActivePerAccount() + "); retry when one has finished");
        }
    }

    private ProcessTextRequest.Accepted schedule(AccountId account, Conversation conversation, Submission submission,
            TrackerSelection selection, List<TrackerDefinition> trackers) {
        String conversationId = conversation.id();
        List<StoredMessage> stored = conversations.append(account, conversationId,
                submission.messagesIn(conversation.createdOn()));
        String jobId = UUID.randomUUID().toString();
        jobs.insert(jobId, account, conversationId, json.writeValueAsString(trackers),
                json.writeValueAsString(selection), stored.get(0).sequence(),
                stored.get(stored.size() - 1).sequence(), submission.webhookUrl(), Instant.now());
        webhooks.enqueue(jobId, submission.webhookUrl(), JobStatus.SCHEDULED);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                worker.wakeUp();
            }
        });
        return new ProcessTextRequest.Accepted(conversationId, jobId);
    }
}
