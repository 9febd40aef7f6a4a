package io.opentrackers.matching;

import java.util.Arrays;

/**
 * How the similarities of one span to a tracker's phrases become the tracker's score. The candidates were
 * compared on the dev data (docs/matching.md); all of them are kept so the evaluation command can re-measure.
 */
public enum Aggregation {
    /** The best single phrase. */
    MAX,
    /** Mean of the best two phrases: one stray phrase alone cannot fire a tracker. */
    TOP2_MEAN,
    /** Mean of the best three phrases. */
    TOP3_MEAN,
    /** Cosine to the normalised mean of the tracker's phrase vectors. */
    CENTROID,
    /** Average of MAX and CENTROID: the closest example, tempered by the tracker's overall topic. */
    MAX_CENTROID;

    float score(float[] similarities, int from, int to, float centroidSimilarity) {
        return switch (this) {
            case MAX -> max(similarities, from, to);
            case TOP2_MEAN -> topMean(similarities, from, to, 2);
            case TOP3_MEAN -> topMean(similarities, from, to, 3);
            case CENTROID -> centroidSimilarity;
            case MAX_CENTROID -> (max(similarities, from, to) + centroidSimilarity) / 2;
        };
    }

    private static float max(float[] values, int from, int to) {
        float best = -2;
        for (int i = from; i < to; i++) {
            best = Math.max(best, values[i]);
        }
        return best;
    }

    private static float topMean(float[] values, int from, int to, int k) {
        if (to - from <= k) {
            float sum = 0;
            for (int i = from; i < to; i++) {
                sum += values[i];
            }
            return sum / (to - from);
        }
        float[] copy = Arrays.copyOfRange(values, from, to);
        Arrays.sort(copy);
        float sum = 0;
        for (int i = copy.length - k; i < copy.length; i++) {
            sum += copy[i];
        }
        return sum / k;
    }
}
