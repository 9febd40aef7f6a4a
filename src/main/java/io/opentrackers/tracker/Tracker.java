package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;
import java.time.Instant;

/** A stored tracker (one row of table {@code tracker}). */
record Tracker(String id, AccountId account, TrackerContent content, long version, Instant createdOn,
        Instant updatedOn) {

    String name() {
        return content.name();
    }
}
