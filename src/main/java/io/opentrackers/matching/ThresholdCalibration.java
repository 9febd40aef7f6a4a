package io.opentrackers.matching;

import java.util.Arrays;

/**
 * Per-tracker thresholds derived from the tracker set itself, not from a cosine picked on one data set.
 *
 * <p>For a tracker <i>t</i>, every phrase of the OTHER trackers is a held-out example of "a sentence that is not
 * about <i>t</i>, written the way this account writes": its score against <i>t</i> (max cosine to t's phrases, the
 * score a span gets) tells how high t's score climbs on text that must not fire it. The threshold of <i>t</i> is the
 * {@code quantile} of that distribution: with 0.95, 95 % of the other trackers' phrases stay below it. A tracker whose
 * neighbours are close (Banking77's card_arrival vs card_delivery_estimate) gets a high threshold; a tracker of short,
 * generic phrases among unrelated topics ("I need", "Policy options") a low one, on the cosine scale of whatever
 * model embedded them. A rank statistic, so the same quantile serves every model.
 *
 * <p>A pure function of the vocabulary vectors (which are persisted per model id), so it is recomputed whenever an
 * index is built, i.e. whenever the tracker list changes. Cost: one product of a sample of at most
 * {@value #MAX_SAMPLE} phrase vectors with the index's matrix (docs/matching.md has the measurement for 500 trackers
 * × 10 phrases). Only the top of each tracker's distribution is kept, enough for any
 * quantile from {@value #MIN_QUANTILE} up.
 */
public final class ThresholdCalibration {

    /** Quantiles below this are not supported (only the top of each distribution is kept). */
    public static final double MIN_QUANTILE = 0.8;
    /**
     * Fewer other-tracker phrases than this (e.g. an account with one tracker) are no evidence: a 95th percentile of a
     * handful of values is just their maximum. Such trackers use the policy's prior threshold.
     */
    static final int MIN_EVIDENCE = 20;
    /** Phrases of other trackers scored per tracker at most; more are sampled with a fixed stride. */
    static final int MAX_SAMPLE = 1000;

    /** Per tracker, the highest scores of other trackers' phrases, ascending; null when there is too little evidence. */
    private final float[][] top;
    /** Per tracker, how many other-tracker phrases were scored (the top's denominator). */
    private final int[] scored;

    private ThresholdCalibration(float[][] top, int[] scored) {
        this.top = top;
        this.scored = scored;
    }

    /**
     * @param phraseVectors unit phrase vectors, all trackers' phrases in order
     * @param phraseStart   per tracker its first phrase, plus the total at the end
     * @param matrix        the index's prepared rows, whose first {@code phraseVectors.length} rows are the phrases
     * @param rows          how many rows the matrix has
     */
    static ThresholdCalibration of(float[][] phraseVectors, int[] phraseStart, SimilarityKernel.PreparedMatrix matrix,
            int rows) {
        int trackers = phraseStart.length - 1;
        int phrases = phraseVectors.length;
        int[] tracker = new int[phrases];
        for (int t = 0; t < trackers; t++) {
            Arrays.fill(tracker, phraseStart[t], phraseStart[t + 1], t);
        }
        // a deterministic, evenly spread sample: every phrase, or every k-th when there are too many
        int stride = Math.max(1, (phrases + MAX_SAMPLE - 1) / MAX_SAMPLE);
        int[] sample = new int[(phrases + stride - 1) / stride];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = i * stride;
        }
        // scores[t][k]: max cosine of sampled phrase k to tracker t's phrases (NaN for t's own phrases)
        float[][] scores = new float[trackers][sample.length];
        int block = 256;
        float[][] out = new float[Math.min(block, Math.max(1, sample.length))][rows];
        for (int b0 = 0; b0 < sample.length; b0 += block) {
            int b1 = Math.min(sample.length, b0 + block);
            float[][] vectors = new float[b1 - b0][];
            for (int i = b0; i < b1; i++) {
                vectors[i - b0] = phraseVectors[sample[i]];
            }
            float[][] target = b1 - b0 == out.length ? out : new float[b1 - b0][rows];
            matrix.multiply(vectors, target);
            for (int i = b0; i < b1; i++) {
                float[] sims = target[i - b0];
                int own = tracker[sample[i]];
                for (int t = 0; t < trackers; t++) {
                    if (t == own) {
                        scores[t][i] = Float.NaN;
                        continue;
                    }
                    float best = Float.NEGATIVE_INFINITY;
                    for (int p = phraseStart[t]; p < phraseStart[t + 1]; p++) {
                        best = Math.max(best, sims[p]);
                    }
                    scores[t][i] = best;
                }
            }
        }
        float[][] top = new float[trackers][];
        int[] scored = new int[trackers];
        for (int t = 0; t < trackers; t++) {
            float[] mine = new float[scores[t].length];
            int n = 0;
            for (float score : scores[t]) {
                if (!Float.isNaN(score)) {
                    mine[n++] = score;
                }
            }
            mine = Arrays.copyOf(mine, n);
            scored[t] = mine.length;
            // a tracker without phrases has no score to calibrate (its max is -infinity)
            if (mine.length < MIN_EVIDENCE || phraseStart[t] == phraseStart[t + 1]) {
                continue;
            }
            Arrays.sort(mine);
            // every order statistic that a quantile >= MIN_QUANTILE interpolates between
            int first = (int) Math.floor(MIN_QUANTILE * (mine.length - 1));
            top[t] = Arrays.copyOfRange(mine, first, mine.length);
        }
        return new ThresholdCalibration(top, scored);
    }

    /**
     * Each tracker's threshold at sensitivity 0.5: the {@code quantile} of the scores other trackers' phrases reach
     * against it, or {@code prior} where there is too little evidence.
     */
    double[] thresholds(double quantile, double prior) {
        if (quantile < MIN_QUANTILE || quantile > 1) {
            throw new IllegalArgumentException("quantile must be in [" + MIN_QUANTILE + ", 1]");
        }
        double[] thresholds = new double[top.length];
        for (int t = 0; t < top.length; t++) {
            thresholds[t] = top[t] == null ? prior : quantile(top[t], scored[t], quantile);
        }
        return thresholds;
    }

    /**
     * The q-quantile (linear interpolation between order statistics, as numpy's default) of a distribution of
     * {@code n} values of which {@code top} holds the highest, ascending.
     */
    private static double quantile(float[] top, int n, double q) {
        double position = q * (n - 1);
        int below = (int) Math.floor(position);
        int offset = n - top.length;
        int i = Math.max(0, below - offset);
        int j = Math.min(top.length - 1, i + 1);
        double fraction = position - below;
        return top[i] + fraction * (top[j] - top[i]);
    }
}
