package io.opentrackers.job;

import io.opentrackers.conversation.ConversationDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A conversation's jobs go with it, but the notifications they already wrote are still owed to their receiver: each
 * reports a status change that happened (a job that completed, then whose conversation was deleted while
 * {@code completed} still waited for a slow or briefly unreachable receiver, used to lose it). A deleted job writes no
 * status after the delete. Runs synchronously in the deleting transaction, which has locked the conversation.
 */
@Component
class DeletedJobsNotifications {

    private final JobRepository jobs;
    private final WebhookOutbox outbox;

    DeletedJobsNotifications(JobRepository jobs, WebhookOutbox outbox) {
        this.jobs = jobs;
        this.outbox = outbox;
    }

    @EventListener
    void conversationDeleted(ConversationDeleted event) {
        // the job rows are locked until the delete commits: a job finishing now either committed its last status
        // (and notification) before, which is then marked with the others, or finds its row gone and writes nothing
        outbox.jobsDeleted(jobs.lockJobsOf(event.conversationId()));
    }
}
