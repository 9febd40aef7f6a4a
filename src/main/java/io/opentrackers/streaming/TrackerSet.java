package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerDefinition;
import java.util.List;

/**
 * The trackers one stream listens for, and whose they are. Streams whose sets are equal (typically every stream of
 * an account with {@code enableAllTrackers}) can share one detector call; streams of two accounts never do, even
 * with the same inline trackers (the detector keeps what it computed for one account to that account). The hash is
 * computed once because the batcher groups by it on every batch.
 */
final class TrackerSet {

    private final AccountId account;
    private final List<TrackerDefinition> trackers;
    private final int hash;

    TrackerSet(AccountId account, List<TrackerDefinition> trackers) {
        this.account = account;
        this.trackers = List.copyOf(trackers);
        this.hash = 31 * account.hashCode() + this.trackers.hashCode();
    }

    AccountId account() {
        return account;
    }

    List<TrackerDefinition> trackers() {
        return trackers;
    }

    @Override
    public boolean equals(Object other) {
        return this == other
                || other instanceof TrackerSet set && set.hash == hash && set.account.equals(account)
                && set.trackers.equals(trackers);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
