package io.opentrackers.teaching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.opentrackers.account.AccountId;
import io.opentrackers.matching.QualityEstimate;
import io.opentrackers.matching.TrackerDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Quality estimates already made, so that asking again with nothing changed is answered from memory instead of five
 * refits of the decision (docs/teaching.md). An estimate depends on the tracker's examples and on everything the
 * decision refits with: every tracker of the account (vocabularies, examples, conditions, sensitivity, their order),
 * the policy and the model. Every change to a tracker bumps its version (an example added or deleted too), so an
 * estimate is kept by the account's list of tracker ids and versions, with the model's id; the policy is fixed for
 * the process. A changed list is another key: nothing is ever invalidated, stale keys simply age out of the bound.
 */
@Component
class QualityEstimates {

    static final String METRICS_NAME = "trackers.quality";
    /** Estimates kept: each is a few hundred bytes with its key, so about 5 MB at most. */
    static final int CAPACITY = 10_000;

    /** {@code trackerSet}: a digest of the account's tracker ids and versions, in the catalog's order. */
    private record Key(AccountId account, String trackerId, String model, String trackerSet) {
    }

    private final Cache<Key, QualityEstimate> estimates;

    QualityEstimates(MeterRegistry meters) {
        this.estimates = Caffeine.newBuilder().maximumSize(CAPACITY).recordStats().build();
        CaffeineCacheMetrics.monitor(meters, estimates, METRICS_NAME);
    }

    /**
     * The estimate of {@code trackerId} among the account's {@code trackers} for {@code model}, made by
     * {@code estimate} when none is kept. Two requests missing together both estimate (the same figures): cheaper
     * than holding a lock over a computation of a second.
     */
    QualityEstimate of(AccountId account, String trackerId, List<TrackerDefinition> trackers, String model,
            Supplier<QualityEstimate> estimate) {
        Key key = new Key(account, trackerId, model, digest(trackers));
        QualityEstimate kept = estimates.getIfPresent(key);
        if (kept == null) {
            kept = estimate.get();
            estimates.put(key, kept);
        }
        return kept;
    }

    /** Drops the estimates of a deleted account: its keys would never be asked for again, only age out. */
    void forget(AccountId account) {
        estimates.asMap().keySet().removeIf(key -> key.account().equals(account));
    }

    /** SHA-256 of "id version" per tracker: a short key whatever the number of trackers (up to 500). */
    private static String digest(List<TrackerDefinition> trackers) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
        for (TrackerDefinition tracker : trackers) {
            sha.update((tracker.id() + ' ' + tracker.version() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
