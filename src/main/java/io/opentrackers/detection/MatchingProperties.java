package io.opentrackers.detection;

import static io.opentrackers.common.Settings.positive;

import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.matching.Aggregation;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.PolicyOverrides;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code trackers.matching.*}. The policy fields override the calibrated defaults of the configured model
 * (MatchingPolicy.calibratedFor) through {@link PolicyOverrides}, as the evaluation commands' flags of the same names
 * do; leave them unset unless you re-calibrated with the evaluation command.
 *
 * @param minProbability     CLASSIFIER only: least classifier probability of the chosen tracker (0 = off)
 * @param uncertaintyPenalty CLASSIFIER only: cosine added to the threshold per unit of ln(1 / probability) of the
 *                           chosen tracker (0 = off; docs/matching.md)
 * @param calibrationQuantile per-tracker thresholds derived from the tracker set (0 = off; setting {@code threshold}
 *                           alone switches it off too)
 * @param maxMessages        most messages one {@code POST /v1/match} call may carry
 * @param indexCachePhrases  phrases kept in built indexes across accounts (about 5 KB each, and each index counts
 *                           32 more for its native session; docs/performance.md); also the most managed trackers'
 *                           vectors kept in memory to build indexes from, one version per tracker
 * @param inlineCachePhrases inline-tracker phrase vectors kept (inline trackers are not persisted)
 * @param maxCharacters      most characters of message content one {@code POST /v1/match} call may carry: the
 *                           call's work grows with them, and 1,000 messages of 1,000 characters took 54.8 s and
 *                           left 1 GiB RSS (issue 20)
 */
@ConfigurationProperties("trackers.matching")
record MatchingProperties(
        Aggregation aggregation,
        Double threshold,
        Double margin,
        Double minProbability,
        Double uncertaintyPenalty,
        Double calibrationQuantile,
        @DefaultValue("1000") int maxMessages,
        @DefaultValue("150000") int indexCachePhrases,
        @DefaultValue("20000") int inlineCachePhrases,
        @DefaultValue("100000") int maxCharacters) {

    /**
     * Limits that cannot work stop the start naming the setting: a non-positive request limit started a service whose
     * {@code /v1/match} refused every call, a negative cache size stopped the start with a stack trace naming none.
     */
    MatchingProperties {
        positive("trackers.matching.max-messages", maxMessages);
        positive("trackers.matching.max-characters", maxCharacters);
        positive("trackers.matching.index-cache-phrases", indexCachePhrases);
        positive("trackers.matching.inline-cache-phrases", inlineCachePhrases);
        // a policy value out of range stopped the start with a stack trace (when the first index was built at
        // start-up) whose message listed every rule and named no setting
        new PolicyOverrides(aggregation, threshold, margin, minProbability, uncertaintyPenalty, calibrationQuantile)
                .checked("trackers.matching.");
    }

    /**
     * The matching policy of the service: the model's calibrated one, with what a model folder's descriptor
     * calibrated in place, then the configured overrides.
     */
    MatchingPolicy policyFor(ModelDescriptor model) {
        return new PolicyOverrides(aggregation, threshold, margin, minProbability, uncertaintyPenalty,
                calibrationQuantile)
                .applyTo(model.calibration().applyTo(MatchingPolicy.calibratedFor(model.id())));
    }
}
