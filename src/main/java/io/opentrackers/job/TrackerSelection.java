package io.opentrackers.job;

import io.opentrackers.tracker.TrackerReference;
import java.util.List;

/**
 * Which trackers a request asked for, kept with each job so that an append which names none keeps the
 * conversation's selection.
 *
 * @param trackers          as given (null when absent)
 * @param enableAllTrackers as given (null when absent)
 */
record TrackerSelection(List<TrackerReference> trackers, Boolean enableAllTrackers) {

    boolean isEmpty() {
        return trackers == null && enableAllTrackers == null;
    }

    /** api.md: with neither field all the account's trackers apply; an explicit value always wins. */
    boolean includeAllAccountTrackers() {
        return enableAllTrackers != null ? enableAllTrackers : trackers == null;
    }

    List<TrackerReference> requested() {
        return trackers == null ? List.of() : trackers;
    }
}
