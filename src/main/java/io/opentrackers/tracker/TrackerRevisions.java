package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;

/**
 * For features that change how a tracker decides without changing its fields (teaching: its examples). A revision
 * is a change of the tracker like any other: its version grows by one and a {@link TrackersChangedEvent} follows
 * the commit, so cached definitions and indexes on every instance sharing the database see it at their next read.
 */
public interface TrackerRevisions {

    /**
     * Locks the account's tracker row until the caller's transaction ends (writes to one tracker's examples take
     * turns). A {@code NotFoundException} when the account has no such tracker (another account's included).
     */
    void lock(AccountId account, String trackerId);

    /** Bumps the locked tracker's version in the caller's transaction and announces the change after the commit. */
    void revise(AccountId account, String trackerId);

    /** A {@code NotFoundException} when the account has no such tracker (another account's included). */
    void requireExists(AccountId account, String trackerId);
}
