package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.ConversationJobs;
import java.util.Collection;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The conversations list's job statuses: each conversation's jobs (an append makes a new one) taken together. */
@Component
class ConversationJobStatus implements ConversationJobs {

    private final JobRepository jobs;

    ConversationJobStatus(JobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    @Transactional(readOnly = true)
    public Map<String, String> statuses(AccountId account, Collection<String> conversationIds) {
        return jobs.conversationStatus(account, conversationIds);
    }

    @Override
    @Transactional(readOnly = true)
    public boolean hasUnfinishedJob(String conversationId) {
        return jobs.hasUnfinishedJob(conversationId);
    }
}
