package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import java.util.Collection;
import java.util.Map;

/**
 * What this feature needs from the Async API, which depends on this feature and not the reverse: where the jobs of
 * each conversation stand (the conversations list), and whether one is still to finish (the retention). Implemented
 * by the job feature.
 */
public interface ConversationJobs {

    /**
     * Conversation id → the status of its jobs taken together, for those with one: {@code in_progress} while one
     * runs, else {@code scheduled} while one waits, else {@code failed} if one failed (part of the conversation has
     * no hits), else {@code completed}. The latest job alone said {@code completed} for an append that finished
     * while the first part was still running, or after the first part failed.
     */
    Map<String, String> statuses(AccountId account, Collection<String> conversationIds);

    /**
     * Whether a job of the conversation is still queued ({@code scheduled}) or running ({@code in_progress}): work the
     * retention must not take away from under it.
     */
    boolean hasUnfinishedJob(String conversationId);
}
