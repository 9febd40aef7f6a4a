package io.opentrackers.streaming;

import io.opentrackers.matching.TrackerDefinition;
import java.util.List;

/**
 * The trackers one stream listens for. Streams whose sets are equal (typically every stream of an account with
 * {@code enableAllTrackers}) can share one detector call; the hash is computed once because the batcher groups
 * by it on every batch.
 */
final class TrackerSet {

    private final List<TrackerDefinition> trackers;
    private final int hash;

    TrackerSet(List<TrackerDefinition> trackers) {
        this.trackers = List.copyOf(trackers);
        this.hash = this.trackers.hashCode();
    }

    List<TrackerDefinition> trackers() {
        return trackers;
    }

    @Override
    public boolean equals(Object other) {
        return this == other
                || other instanceof TrackerSet set && set.hash == hash && set.trackers.equals(trackers);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
