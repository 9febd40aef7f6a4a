package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import java.time.Instant;
import java.util.List;

/**
 * Hits stored for the first time in one conversation, published synchronously inside the transaction that stores
 * them, so that what listeners derive from hits (analytics rollups) commits or rolls back with them. A hit stored
 * again (a retried job) is not in it. Writers of one conversation's hits are serialised (its row is locked), so the
 * {@code first…} flags are exact even under concurrent jobs.
 *
 * @param conversationStart the conversation's start: its first message's start time, else its creation time
 */
public record HitsStored(AccountId account, String conversationId, Instant conversationStart, List<Hit> hits) {

    /**
     * One stored (message, tracker, phrase) hit.
     *
     * @param speakerRole          the message's speaker role ({@code agent}, {@code customer}) or null
     * @param phraseCounted        the phrase this tracker's hit on this message counts for (one per (message,
     *                             tracker)): the best-scoring of the hits first stored for them, i.e. the words said
     *                             when said literally, else the phrase closest in meaning
     * @param firstOfMessage       the first hit of this tracker on this message (one per (message, tracker))
     * @param firstOfConversation  the first hit of this tracker in this conversation
     */
    public record Hit(String messageId, String trackerId, String trackerName, String phrase, String speakerRole,
                      boolean phraseCounted, boolean firstOfMessage, boolean firstOfConversation) {
    }
}
