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

    /**
     * {@link #lock}, made conditional by the request's {@code If-Match} (RFC 9110 section 13.1.1), as a PUT, PATCH or
     * DELETE of the tracker is: a write of its examples changes its version, and so its ETag, like any other change.
     * The header is read before the tracker is looked up, and compared while the row is locked, so of two writes
     * with the same tag only the first is made.
     *
     * @param ifMatch the header as sent; null when absent (the write is unconditional)
     * @throws io.opentrackers.common.InvalidInputException naming {@code If-Match} when it is malformed
     * @throws io.opentrackers.common.NotFoundException when the account has no such tracker
     * @throws io.opentrackers.common.StaleRevisionException when the tracker has none of the tags
     */
    void lock(AccountId account, String trackerId, String ifMatch);

    /** Bumps the locked tracker's version in the caller's transaction and announces the change after the commit. */
    void revise(AccountId account, String trackerId);

    /** A {@code NotFoundException} when the account has no such tracker (another account's included). */
    void requireExists(AccountId account, String trackerId);
}
