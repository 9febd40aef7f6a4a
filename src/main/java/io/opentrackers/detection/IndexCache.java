package io.opentrackers.detection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.VocabularyIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Built indexes by the account and the exact tracker list they were built for, bounded by their total number of
 * phrases plus {@link #INDEX_WEIGHT} per index (their memory), across accounts. Any change to a tracker yields a new
 * list key, so a cached index is never stale; the full list of an account's trackers, which most conversations use,
 * is built ahead by {@link VocabularyWarmUp}.
 *
 * <p>An index leaving the cache (evicted for space, replaced, or invalidated) is released at once: a large one
 * holds a native packed matrix that the garbage collector might not reclaim for a long time. Calls still using it
 * finish correctly. An index larger than the whole bound is built and used but not kept.
 */
class IndexCache {

    static final String METRICS_NAME = "trackers.indexes";
    /**
     * What an index weighs besides its phrases, in phrases: a native session's own memory (about 150 KB, against
     * about 5 KB per phrase; docs/performance.md), which a cache of many one-tracker accounts would otherwise not count.
     */
    static final int INDEX_WEIGHT = 32;

    private final Cache<List<Object>, VocabularyIndex> indexes;
    private final BiFunction<AccountId, List<TrackerDefinition>, VocabularyIndex> build;

    /**
     * @param build      builds the index of an account's tracker list on a miss
     * @param maxPhrases total phrases of the indexes kept ({@code trackers.matching.index-cache-phrases})
     */
    IndexCache(BiFunction<AccountId, List<TrackerDefinition>, VocabularyIndex> build, long maxPhrases,
            MeterRegistry meters) {
        this.build = build;
        this.indexes = Caffeine.newBuilder()
                .maximumWeight(maxPhrases)
                .weigher((List<Object> key, VocabularyIndex index) -> index.phraseCount() + INDEX_WEIGHT)
                // maintenance (amortised, behind a lock that is tried, never waited for) and removals run on the
                // caller's thread: releasing a matrix is cheap, and an eviction's native memory is then freed when
                // the put that caused it returns, not whenever a pool thread gets to it
                .executor(Runnable::run)
                .removalListener((List<Object> key, VocabularyIndex index, RemovalCause cause) -> {
                    if (index != null) {
                        index.release();
                    }
                })
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, indexes, METRICS_NAME);
    }

    /**
     * The index of these trackers, built on a miss. Two callers missing together both build, and the second one's
     * put replaces (and releases) the first one's index: rare, and cheaper than making every caller of every
     * account wait on a lock while an index of thousands of phrases is embedded.
     */
    VocabularyIndex indexOf(AccountId account, List<TrackerDefinition> trackers) {
        List<Object> key = key(account, trackers);
        VocabularyIndex index = indexes.getIfPresent(key);
        if (index == null) {
            index = build.apply(account, trackers);
            indexes.put(key, index);
        }
        return index;
    }

    /** Whether the index of this account's tracker list is cached. */
    boolean holds(AccountId account, List<TrackerDefinition> trackers) {
        return indexes.asMap().containsKey(key(account, trackers));
    }

    /**
     * Drops (and releases) every index that names one of an account's trackers (those it had, those it has) at
     * another version than it has now: none will be asked for again once the streams that started before the change
     * end. Not only the list prepared last: a stream keeps the trackers it started with, so its next message after a
     * change builds their index again, and a list can also be built between two changes that one warm-up covers.
     */
    void invalidateSuperseded(List<TrackerDefinition> previous, List<TrackerDefinition> current) {
        Set<VocabularyEmbeddingRepository.Key> now = new HashSet<>();
        current.forEach(tracker -> now.add(VocabularyVectors.key(tracker)));
        Set<String> ids = new HashSet<>();
        previous.forEach(tracker -> ids.add(tracker.id()));
        current.forEach(tracker -> ids.add(tracker.id()));
        indexes.asMap().keySet().removeIf(key -> key.stream().anyMatch(part ->
                part instanceof VocabularyEmbeddingRepository.Key tracker
                        && ids.contains(tracker.trackerId()) && !now.contains(tracker)));
    }

    /**
     * What identifies a tracker list's index: its account, then a managed tracker by id and version (every change bumps
     * the version), an inline one by its whole definition. The account keeps two accounts that send the same inline
     * trackers apart: sharing the index, the second would be answered faster and learn what the first sent
     * (docs/security.md). This runs on every streamed message, where hashing and comparing the full definitions of
     * hundreds of trackers (thousands of phrases) would dominate the detector's own work; ids and versions are cheap
     * to hash and compare.
     */
    private static List<Object> key(AccountId account, List<TrackerDefinition> trackers) {
        List<Object> key = new ArrayList<>(trackers.size() + 1);
        key.add(account);
        for (TrackerDefinition tracker : trackers) {
            key.add(tracker.version() > 0 ? VocabularyVectors.key(tracker) : tracker);
        }
        return key;
    }
}
