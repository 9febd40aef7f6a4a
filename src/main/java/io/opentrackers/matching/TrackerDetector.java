package io.opentrackers.matching;

import io.opentrackers.account.AccountId;
import java.util.List;

/**
 * Finds every (message, tracker) hit by literal phrase and by meaning. This is the seam the async jobs, the
 * streaming sessions and {@code POST /v1/match} all use; implementations are thread-safe. Each message's
 * {@link MessageText#context()} is what the trackers' conditions (speaker, window) are checked against.
 *
 * <p>Every call names the account whose messages and trackers these are: what a detector keeps between calls (vectors
 * of texts and inline phrases, built indexes) serves only later calls of the same account, so that no account's
 * answer time depends on what another account sent (docs/security.md).
 */
public interface TrackerDetector {

    List<TrackerHit> detect(AccountId account, List<TrackerDefinition> trackers, List<MessageText> messages);

    /**
     * The hits, and per message (in order) the vector its own text got where the detector embedded that text as one
     * span, null elsewhere. Callers that store the messages keep those vectors, so nothing embeds the same sentence
     * again later (teaching's suggestions read one vector per stored sentence).
     */
    record HitsAndVectors(List<TrackerHit> hits, float[][] ownVectors) {
    }

    /** {@link #detect}, keeping the vectors of the messages' own texts where they were computed. */
    default HitsAndVectors detectKeepingVectors(AccountId account, List<TrackerDefinition> trackers,
            List<MessageText> messages) {
        return new HitsAndVectors(detect(account, trackers, messages), new float[messages.size()][]);
    }
}
