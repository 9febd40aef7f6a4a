package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import java.util.Collection;
import java.util.Map;

/**
 * What the conversations list needs from the Async API, which depends on this feature and not the reverse: the
 * status of the latest job of each conversation. Implemented by the job feature.
 */
public interface ConversationJobs {

    /** Conversation id → status ({@code scheduled}, {@code in_progress}, …) of its latest job, for those with one. */
    Map<String, String> latestStatus(AccountId account, Collection<String> conversationIds);
}
