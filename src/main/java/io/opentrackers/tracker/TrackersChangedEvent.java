package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;

/**
 * Published after a transaction that created, changed or deleted trackers of an account has committed, so
 * that caches (e.g. the per-account vocabulary index) refresh.
 */
public record TrackersChangedEvent(AccountId account) {
}
