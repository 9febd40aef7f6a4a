package io.opentrackers.tracker;

import static io.opentrackers.common.Settings.positive;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of the Management API ({@code trackers.limits.*}); the defaults are the documented ones of api.md.
 *
 * @param minPhrases             fewest phrases a vocabulary may have
 * @param maxPhrases             most phrases a vocabulary may have
 * @param maxPhraseLength        longest phrase, in characters
 * @param maxTrackersPerAccount  most managed trackers one account may hold (409 {@code tracker-limit-reached})
 * @param maxNameLength          longest tracker name, in characters after trimming
 * @param maxCategories          most {@code categories} (and {@code languages}) one tracker may have: every
 *                               list is stored in the tracker's row and returned by every read, so an unbounded
 *                               one (50,000 were accepted, issue 20) makes each list of trackers as large
 * @param maxCategoryLength      longest category (and language tag), in characters after trimming
 */
@ConfigurationProperties("trackers.limits")
public record TrackerLimits(Integer minPhrases, Integer maxPhrases, Integer maxPhraseLength,
        Integer maxTrackersPerAccount, Integer maxNameLength, Integer maxCategories, Integer maxCategoryLength) {

    public TrackerLimits {
        minPhrases = minPhrases == null ? 5 : minPhrases;
        maxPhrases = maxPhrases == null ? 50 : maxPhrases;
        maxPhraseLength = maxPhraseLength == null ? 256 : maxPhraseLength;
        maxTrackersPerAccount = maxTrackersPerAccount == null ? 500 : maxTrackersPerAccount;
        maxNameLength = maxNameLength == null ? 128 : maxNameLength;
        maxCategories = maxCategories == null ? 50 : maxCategories;
        maxCategoryLength = maxCategoryLength == null ? 128 : maxCategoryLength;
        if (minPhrases < 1 || maxPhrases < minPhrases) {
            throw new IllegalArgumentException("trackers.limits: need 1 <= min-phrases <= max-phrases, got "
                    + minPhrases + " and " + maxPhrases);
        }
        // one setting and its value at a time: one sentence naming all five left the operator to guess
        positive("trackers.limits.max-phrase-length", maxPhraseLength);
        positive("trackers.limits.max-trackers-per-account", maxTrackersPerAccount);
        positive("trackers.limits.max-name-length", maxNameLength);
        positive("trackers.limits.max-categories", maxCategories);
        positive("trackers.limits.max-category-length", maxCategoryLength);
    }

    /** The documented defaults, for code and tests that run without Spring. */
    static TrackerLimits defaults() {
        return new TrackerLimits(null, null, null, null, null, null, null);
    }
}
