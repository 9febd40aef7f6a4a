package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.ConversationJobs;
import java.util.Collection;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The conversations list's job statuses: a conversation shows its latest job's (an append makes a new job). */
@Component
class LatestJobStatus implements ConversationJobs {

    private final JobRepository jobs;

    LatestJobStatus(JobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    @Transactional(readOnly = true)
    public Map<String, String> latestStatus(AccountId account, Collection<String> conversationIds) {
        return jobs.latestStatus(account, conversationIds);
    }
}
