package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerDefinition;
import java.util.List;

/**
 * What other features (matching, jobs, streaming) may ask of the tracker store. Implemented by the tracker
 * feature; callers never see tracker rows.
 */
public interface TrackerCatalog {

    /** Every managed tracker of the account, in creation order. */
    List<TrackerDefinition> allOf(AccountId account);

    /**
     * The trackers a conversation request applies ({@link TrackerSelection} states the rule): {@code {id}}
     * references resolve to the account's managed trackers (an unknown or foreign id is an
     * {@code InvalidInputException} naming {@code trackers[i].id}); inline trackers are validated with the
     * Management API's rules and get a stable id derived from their content (so that appending to a conversation
     * reports them under the same id). No tracker appears twice.
     */
    List<TrackerDefinition> resolve(AccountId account, TrackerSelection selection);
}
