package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.LabelledExample;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where the labelled examples of managed trackers come from (the teaching feature implements it; the tracker
 * feature only reads through it, so that it does not depend on teaching). The catalog puts them into every
 * {@code TrackerDefinition} it hands out, and the tracker list can include them, or count them.
 */
public interface TrackerExampleSource {

    /** The examples of each of these trackers that has any, in insertion order. */
    Map<String, List<LabelledExample>> examplesOf(Collection<String> trackerIds);

    /** How many examples of a tracker say it should fire ({@code match: true}) and how many say it should not. */
    record Counts(int positives, int negatives) {

        public static final Counts NONE = new Counts(0, 0);
    }

    /**
     * The counts of each of these trackers of the account that has examples, in one grouped query whatever the number
     * of trackers (a list read shows them); a tracker of another account counts nothing.
     */
    Map<String, Counts> countsOf(AccountId account, Collection<String> trackerIds);
}
