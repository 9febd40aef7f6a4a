package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;

/**
 * For features that change how a tracker decides without changing its fields (teaching: its examples). A revision
 * is a change of the tracker like any other: its version grows by one and a {@link TrackersChangedEvent} follows
 * the commit, so cached definitions and indexes on every instance sharing the database see it at their next read.
 */
public interface TrackerRevisions {

    /**
     * The tracker's strong entity tag at {@code version}, quoted as the {@code ETag} header carries it:
     * {@code "<id>.v<version>"}, the tag PUT, PATCH and DELETE of the tracker compare {@code If-Match} with.
     */
    static String etag(String trackerId, long version) {
        return "\"" + trackerId + ".v" + version + "\"";
    }

    /**
     * Locks the account's tracker row until the caller's transaction ends (writes to one tracker's examples take
     * turns), made conditional by the request's {@code If-Match} (RFC 9110 section 13.1.1) as a PUT, PATCH or DELETE
     * of the tracker is: a write of its examples changes its version, and so its ETag, like any other change.
     * The header is read before the tracker is looked up, and compared while the row is locked, so of two writes
     * with the same tag only the first is made.
     *
     * @param ifMatch the header as sent; null when absent (the write is unconditional)
     * @return the tracker's version (as locked, before the write)
     * @throws io.opentrackers.common.InvalidInputException naming {@code If-Match} when it is malformed
     * @throws io.opentrackers.common.NotFoundException when the account has no such tracker
     * @throws io.opentrackers.common.StaleRevisionException when the tracker has none of the tags
     */
    long lock(AccountId account, String trackerId, String ifMatch);

    /**
     * Bumps the locked tracker's version in the caller's transaction and announces the change after the commit;
     * returns the new version.
     */
    long revise(AccountId account, String trackerId);

    /** The tracker's current version; a {@code NotFoundException} as for {@link #requireExists}. */
    long version(AccountId account, String trackerId);

    /** A {@code NotFoundException} when the account has no such tracker (another account's included). */
    void requireExists(AccountId account, String trackerId);
}
