package io.opentrackers.matching;

import java.util.List;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Per-tracker thresholds derived from the tracker set itself, not from a cosine picked on one data set.
 *
 * <p>For a tracker <i>t</i>, the evidence is a set of held-out sentences that must not fire it, each scored against
 * <i>t</i> as a span would be (max cosine to t's phrases): the phrases of the OTHER trackers ("a sentence about
 * something else, written the way this account writes") and, per the {@link Evidence} rule, the
 * {@link ReferenceSentences} (everyday talk about nothing a tracker tracks, the same for every account). The threshold
 * of <i>t</i> is the {@code quantile} of those scores: with 0.95, 95 % of the evidence stays below it. A tracker
 * whose neighbours are close (Banking77's card_arrival vs card_delivery_estimate) gets a high threshold; a tracker of
 * short, generic phrases among unrelated topics ("I need", "Policy options") a low one, on the cosine scale of
 * whatever model embedded them. A rank statistic, so the same quantile serves every model.
 *
 * <p>A pure function of the vocabulary (and reference) vectors, recomputed whenever an index is built, i.e. whenever
 * the tracker list changes. Cost: one product of a sample of at most {@value #MAX_SAMPLE} phrase vectors (plus the
 * reference sentences) with the index's matrix (docs/matching.md has the measurement for 500 trackers × 10 phrases).
 * Only the top of each tracker's distribution is kept, enough for any quantile from {@value #MIN_QUANTILE} up.
 */
public final class ThresholdCalibration {

    /** Quantiles below this are not supported (only the top of each distribution is kept). */
    public static final double MIN_QUANTILE = 0.8;
    /**
     * Fewer scored sentences than this are no evidence: a 95th percentile of a handful of values is just their
     * maximum. Such trackers use the policy's prior threshold, which only happens when an index is built without the
     * reference sentences (the service always has them) and with fewer than this many phrases in the other trackers.
     */
    static final int MIN_EVIDENCE = 20;
    /**
     * Whether a tracker whose other trackers have this many phrases is nearly alone (an account or a call with one or
     * two trackers): too few competitors to calibrate it or to tell its topic from talk about nothing.
     */
    static boolean fewCompetitors(int otherTrackersPhrases) {
        return otherTrackersPhrases < MIN_EVIDENCE;
    }

    /** Phrases of other trackers scored per tracker at most; more are sampled with a fixed stride. */
    static final int MAX_SAMPLE = 1000;

    /** Which sentences, besides the other trackers' phrases, count as evidence of what must not fire a tracker. */
    public enum Rule {
        /** Only the other trackers' phrases (no reference sentences); the rule before the reference set existed. */
        OTHER_TRACKERS,
        /** The other trackers' phrases and every reference sentence, for every tracker. */
        ALWAYS,
        /**
         * The reference sentences only for a tracker whose other trackers have fewer than {@value #MIN_EVIDENCE}
         * phrases (an account or a call with one or two trackers); the other trackers' phrases alone otherwise.
         */
        COMPLETE
    }

    /**
     * The reference sentences (their texts, row for row with their unit vectors of the vocabulary's model) and how they
     * join the evidence. The texts are what explanations quote when everyday talk decided a span.
     */
    public record Evidence(List<String> referenceTexts, float[][] referenceVectors, Rule rule) {

        /** No reference sentences: the other trackers' phrases only. */
        public static final Evidence OTHER_TRACKERS_ONLY = new Evidence(List.of(), new float[0][], Rule.OTHER_TRACKERS);

        public Evidence {
            referenceTexts = rule == Rule.OTHER_TRACKERS ? List.of() : List.copyOf(referenceTexts);
            referenceVectors = rule == Rule.OTHER_TRACKERS ? new float[0][] : referenceVectors;
            if (referenceTexts.size() != referenceVectors.length) {
                throw new IllegalArgumentException("reference sentences: " + referenceTexts.size() + " texts for "
                        + referenceVectors.length + " vectors");
            }
        }

        /** The evidence the service calibrates with: {@link #DEFAULT_RULE} over the reference sentences of the model. */
        public static Evidence standard(EmbeddingModel model) {
            return of(model, DEFAULT_RULE);
        }

        /**
         * What an index matched under {@code policy} needs: {@link #standard} when the policy calibrates, nothing beyond
         * the other trackers' phrases when its threshold is fixed (the reference sentences are then not embedded).
         */
        public static Evidence forPolicy(MatchingPolicy policy, EmbeddingModel model) {
            return policy.calibrationQuantile() > 0 ? standard(model) : OTHER_TRACKERS_ONLY;
        }

        /** The reference sentences of the model under a rule (embedded once per model id, see ReferenceSentences). */
        public static Evidence of(EmbeddingModel model, Rule rule) {
            return rule == Rule.OTHER_TRACKERS ? OTHER_TRACKERS_ONLY
                    : new Evidence(ReferenceSentences.texts(), ReferenceSentences.of(model).vectors(), rule);
        }
    }

    /** How the reference sentences join the evidence in the service (chosen on the Banking77 TRAIN split, docs/matching.md). */
    public static final Rule DEFAULT_RULE = Rule.ALWAYS;

    /** Per tracker, the highest evidence scores, ascending; null when there is too little evidence. */
    private final float[][] top;
    /** Per tracker, how many sentences were scored (the top's denominator). */
    private final int[] scored;

    private ThresholdCalibration(float[][] top, int[] scored) {
        this.top = top;
        this.scored = scored;
    }

    /**
     * @param phraseVectors unit phrase vectors, all trackers' phrases in order
     * @param phraseStart   per tracker its first phrase, plus the total at the end
     * @param topic         per tracker the first tracker of its topic ({@link IdenticalTrackers#firstOfEach} of the
     *                      phrases)
     * @param matrix        the index's prepared rows, whose first {@code phraseVectors.length} rows are the phrases
     * @param rows          how many rows the matrix has
     * @param evidence      the reference sentences and the rule by which they count
     */
    static ThresholdCalibration of(float[][] phraseVectors, int[] phraseStart, int[] topic,
            SimilarityKernel.PreparedMatrix matrix, int rows, Evidence evidence) {
        int trackers = phraseStart.length - 1;
        int phrases = phraseVectors.length;
        int[] tracker = new int[phrases];
        for (int t = 0; t < trackers; t++) {
            Arrays.fill(tracker, phraseStart[t], phraseStart[t + 1], t);
        }
        // a copy of a tracker, or a tracker that shares most of its phrases (IdenticalTrackers), is no "something
        // else": its phrases are not evidence against the trackers of its topic, and a topic's phrases count once
        // against the others; with a copy of the same phrases every tracker's evidence is as without the copy
        boolean[] once = IdenticalTrackers.firstInTopic(phraseVectors, tracker, topic);
        int[] distinct = IntStream.range(0, phrases).filter(p -> once[p]).toArray();
        // a deterministic, evenly spread sample: every phrase, or every k-th when there are too many
        int stride = Math.max(1, (distinct.length + MAX_SAMPLE - 1) / MAX_SAMPLE);
        int sampled = (distinct.length + stride - 1) / stride;
        float[][] reference = evidence.referenceVectors();
        // the sentences scored: the sampled phrases, then the reference sentences (owner -1: nobody's own)
        float[][] sentences = new float[sampled + reference.length][];
        int[] owner = new int[sentences.length];
        for (int i = 0; i < sampled; i++) {
            sentences[i] = phraseVectors[distinct[i * stride]];
            owner[i] = topic[tracker[distinct[i * stride]]];
        }
        for (int r = 0; r < reference.length; r++) {
            sentences[sampled + r] = reference[r];
            owner[sampled + r] = -1;
        }
        // scores[t][k]: max cosine of sentence k to tracker t's phrases (NaN for the phrases of t's topic)
        float[][] scores = new float[trackers][sentences.length];
        int block = 256;
        float[][] out = new float[Math.min(block, Math.max(1, sentences.length))][rows];
        for (int b0 = 0; b0 < sentences.length; b0 += block) {
            int b1 = Math.min(sentences.length, b0 + block);
            float[][] target = b1 - b0 == out.length ? out : new float[b1 - b0][rows];
            matrix.multiply(Arrays.copyOfRange(sentences, b0, b1), target);
            for (int i = b0; i < b1; i++) {
                float[] sims = target[i - b0];
                for (int t = 0; t < trackers; t++) {
                    if (topic[t] == owner[i]) {
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
            float[] mine = new float[sentences.length];
            int n = 0;
            for (int i = 0; i < sampled; i++) {
                if (!Float.isNaN(scores[t][i])) {
                    mine[n++] = scores[t][i];
                }
            }
            boolean withReference = evidence.rule() == Rule.ALWAYS
                    || (evidence.rule() == Rule.COMPLETE && fewCompetitors(n));
            if (withReference) {
                for (int i = sampled; i < sentences.length; i++) {
                    mine[n++] = scores[t][i];
                }
            }
            mine = Arrays.copyOf(mine, n);
            // a tracker without phrases has no score to calibrate (its max is -infinity)
            if (mine.length < MIN_EVIDENCE || phraseStart[t] == phraseStart[t + 1]) {
                continue;
            }
            scored[t] = mine.length;
            Arrays.sort(mine);
            // every order statistic that a quantile >= MIN_QUANTILE interpolates between
            int first = (int) Math.floor(MIN_QUANTILE * (mine.length - 1));
            top[t] = Arrays.copyOfRange(mine, first, mine.length);
        }
        return new ThresholdCalibration(top, scored);
    }

    /**
     * Each tracker's threshold at sensitivity 0.5: the {@code quantile} of its evidence's scores, or {@code prior}
     * where there is too little evidence.
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
     * Each tracker's evidence spread: how far apart the top of its evidence lies, from the lowest quantile kept
     * ({@value #MIN_QUANTILE}) to the default calibration quantile; 0 where there is too little evidence. The unit of a
     * penalty that must land on any model's cosine scale ({@link MatchingPolicy.PenaltyUnit#EVIDENCE_SPREAD}).
     */
    double[] spreads() {
        double[] spreads = new double[top.length];
        for (int t = 0; t < top.length; t++) {
            spreads[t] = top[t] == null ? 0 : quantile(top[t], scored[t], MatchingPolicy.CALIBRATION_QUANTILE)
                    - quantile(top[t], scored[t], MIN_QUANTILE);
        }
        return spreads;
    }

    /** How many sentences each tracker's threshold was derived from; 0 where it has the prior. */
    int[] evidence() {
        return scored.clone();
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
