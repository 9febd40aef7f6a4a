package io.opentrackers.matching;

import io.opentrackers.account.AccountId;
import java.util.List;

/**
 * {@link TrackerDetector}'s hits with the decisions behind them ({@code "explain": true} of {@code POST /v1/match}).
 * The application's detector implements both, deciding hits and explanations in one pass of the matcher.
 */
public interface TrackerExplainer {

    /** The hits {@link TrackerDetector#detect} finds, decided by the same call, with each message's explanation. */
    Detection explain(AccountId account, List<TrackerDefinition> trackers, List<MessageText> messages);
}
