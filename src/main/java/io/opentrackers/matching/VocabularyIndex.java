package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The vocabulary embeddings of a set of trackers, laid out for fast scoring, plus the literal phrase finder.
 * Immutable and thread-safe; build one per account (or per request for inline trackers).
 *
 * <p>The similarity rows are the phrase vectors followed by one centroid per tracker, prepared by a
 * {@link SimilarityKernel} for scoring many spans against them.
 */
public final class VocabularyIndex {

    /**
     * A tracker with one unit vector per vocabulary phrase, in vocabulary order, one per excluded phrase (its
     * {@link TrackerConditions#exclude()}, in that order) and one per labelled example (in the order of
     * {@link TrackerDefinition#examples()}).
     */
    public record EmbeddedTracker(TrackerDefinition tracker, float[][] phraseVectors, float[][] excludeVectors,
                                  float[][] exampleVectors) {

        public EmbeddedTracker {
            excludeVectors = excludeVectors == null ? new float[0][] : excludeVectors;
            exampleVectors = exampleVectors == null ? new float[0][] : exampleVectors;
        }

        /** A tracker without excluded phrases or examples. */
        public EmbeddedTracker(TrackerDefinition tracker, float[][] phraseVectors) {
            this(tracker, phraseVectors, null, null);
        }

        /** Pairs a tracker with the vectors of its {@link TrackerDefinition#embeddedPhrases()}, in that order. */
        public static EmbeddedTracker split(TrackerDefinition tracker, float[][] vectors) {
            int n = tracker.vocabulary().size();
            int x = n + tracker.conditions().exclude().size();
            return new EmbeddedTracker(tracker, Arrays.copyOfRange(vectors, 0, n), Arrays.copyOfRange(vectors, n, x),
                    Arrays.copyOfRange(vectors, x, vectors.length));
        }

        /** Pairs each tracker with its slice of {@code vectors}: all embedded phrases of all trackers, in order. */
        public static List<EmbeddedTracker> of(List<TrackerDefinition> trackers, float[][] vectors) {
            List<EmbeddedTracker> embedded = new ArrayList<>(trackers.size());
            int p = 0;
            for (TrackerDefinition tracker : trackers) {
                int n = tracker.embeddedPhrases().size();
                embedded.add(split(tracker, Arrays.copyOfRange(vectors, p, p + n)));
                p += n;
            }
            return embedded;
        }
    }

    private final List<TrackerDefinition> trackers;
    private final int[] phraseStart;
    private final int[] phraseTracker;
    private final String[] phrases;
    private final int rows;
    /** The index's own rows: phrases, then one centroid per tracker. */
    private final SimilarityKernel.PreparedMatrix matrix;
    /** The reference sentences' rows, shared by every index of the kernel; null when there are none. */
    private final SimilarityKernel.PreparedMatrix referenceMatrix;
    /** The products of the classifier's fit. */
    private final SimilarityKernel kernel;
    private final PhraseFinder finder;
    /** The trackers' conditions beyond the vocabulary (speaker, window, excluded phrases). */
    private final Conditions conditions;
    /** teaching: the trackers' labelled examples (empty when none has any). */
    private final ExampleIndex examples;
    /** Phrase vectors kept for fitting the classifier on first use; null once fitted or when not affordable. */
    private float[][] classifierInput;
    private TrackerClassifier classifier;
    /** Thresholds derived from this tracker set (see {@link ThresholdCalibration}). */
    private final ThresholdCalibration calibration;
    /** Per tracker, the spread of the top of its calibration evidence ({@link ThresholdCalibration#spreads}). */
    private final double[] evidenceSpreads;
    /** The first row of the reference sentences (everyday talk), which follow the phrases and centroids. */
    private final int referenceStart;
    /** Per tracker: nearly alone, so everyday talk competes with it (see {@link #competesWithEverydayTalk}). */
    private final boolean[] nearlyAlone;
    /** The reference sentences' texts, row for row from {@link #referenceStart}: what explanations quote. */
    private final List<String> referenceTexts;

    public VocabularyIndex(List<EmbeddedTracker> embedded) {
        this(embedded, SimilarityKernel.portable());
    }

    public VocabularyIndex(List<EmbeddedTracker> embedded, SimilarityKernel kernel) {
        this(embedded, kernel, ThresholdCalibration.Evidence.OTHER_TRACKERS_ONLY);
    }

    /**
     * @param evidence what, besides the other trackers' phrases, the calibrated thresholds are derived from (the
     *                 reference sentences, see {@link ThresholdCalibration})
     */
    public VocabularyIndex(List<EmbeddedTracker> embedded, SimilarityKernel kernel,
            ThresholdCalibration.Evidence evidence) {
        this.kernel = kernel;
        trackers = embedded.stream().map(EmbeddedTracker::tracker).toList();
        int phraseCount = embedded.stream().mapToInt(e -> e.phraseVectors().length).sum();
        int dimension = embedded.stream().filter(e -> e.phraseVectors().length > 0)
                .mapToInt(e -> e.phraseVectors()[0].length).findFirst().orElse(0);
        phraseStart = new int[trackers.size() + 1];
        phraseTracker = new int[phraseCount];
        phrases = new String[phraseCount];
        List<float[]> vectors = new ArrayList<>(phraseCount + trackers.size());
        List<PhraseFinder.Phrase> literal = new ArrayList<>(phraseCount);
        int p = 0;
        for (int t = 0; t < embedded.size(); t++) {
            EmbeddedTracker e = embedded.get(t);
            if (e.phraseVectors().length != e.tracker().vocabulary().size()) {
                throw new IllegalArgumentException("tracker " + e.tracker().id() + " has "
                        + e.tracker().vocabulary().size() + " phrases but " + e.phraseVectors().length + " vectors");
            }
            phraseStart[t] = p;
            for (int i = 0; i < e.phraseVectors().length; i++, p++) {
                phraseTracker[p] = t;
                phrases[p] = e.tracker().vocabulary().get(i);
                vectors.add(e.phraseVectors()[i]);
                literal.add(new PhraseFinder.Phrase(phrases[p], p));
            }
        }
        phraseStart[trackers.size()] = p;
        for (EmbeddedTracker e : embedded) {
            vectors.add(centroid(e.phraseVectors(), dimension));
        }
        referenceStart = vectors.size();
        float[][] reference = dimension > 0 ? evidence.referenceVectors() : new float[0][];
        referenceTexts = dimension > 0 ? evidence.referenceTexts() : List.of();
        rows = referenceStart + reference.length;
        // the trackers of a tracker's topic are no competitors (IdenticalTrackers): a tracker and its copy are as
        // alone as it is
        float[][] phraseRows = vectors.subList(0, phraseCount).toArray(new float[0][]);
        int[] topic = IdenticalTrackers.firstOfEach(phraseRows, phraseTracker, trackers.size());
        int[] sameTopicPhrases = new int[trackers.size()];
        for (int t = 0; t < trackers.size(); t++) {
            sameTopicPhrases[topic[t]] += phraseStart[t + 1] - phraseStart[t];
        }
        nearlyAlone = new boolean[trackers.size()];
        for (int t = 0; t < trackers.size(); t++) {
            nearlyAlone[t] = rows > referenceStart
                    && ThresholdCalibration.fewCompetitors(phraseCount - sameTopicPhrases[topic[t]]);
        }
        matrix = kernel.prepare(vectors.toArray(new float[0][]), dimension);
        referenceMatrix = reference.length == 0 ? null : kernel.prepareShared(reference, dimension);
        finder = new PhraseFinder(literal);
        calibration = ThresholdCalibration.of(phraseRows, phraseStart, topic, matrix, referenceStart, evidence);
        evidenceSpreads = calibration.spreads();
        conditions = Conditions.of(embedded);
        examples = ExampleIndex.of(embedded, kernel);
        if (!trackers.isEmpty() && TrackerClassifier.affordable(phraseCount, trackers.size())) {
            classifierInput = phraseRows;
        }
    }

    /** Does now the work the policy would otherwise do on first match (fitting the classifier), e.g. in a warm-up. */
    public void prepare(MatchingPolicy policy) {
        if (policy.aggregation() == Aggregation.CLASSIFIER) {
            classifier();
        }
    }

    /**
     * The softmax classifier over this index's trackers, fitted on first use and then cached with the index (most
     * policies never need it), or null when the index is too large to fit one quickly.
     */
    synchronized TrackerClassifier classifier() {
        if (classifier == null && classifierInput != null) {
            // teaching: with examples, the classifier also learns from them (ExampleIndex)
            classifier = examples.isEmpty() ? TrackerClassifier.fit(classifierInput, phraseTracker, trackers.size(), kernel)
                    : examples.fitClassifier();
            classifierInput = null;
        }
        return classifier;
    }

    /**
     * Each tracker's threshold under the policy, at the tracker's sensitivity, in {@link #trackers()} order: the
     * policy's fixed threshold, or the one calibrated from this tracker set when the policy asks for calibration.
     */
    public double[] thresholds(MatchingPolicy policy) {
        double[] base = policy.calibrationQuantile() > 0
                ? calibration.thresholds(policy.calibrationQuantile(), policy.threshold())
                : null;
        double[] thresholds = new double[trackers.size()];
        for (int t = 0; t < thresholds.length; t++) {
            thresholds[t] = policy.thresholdFor(base != null ? base[t] : policy.threshold(),
                    trackers.get(t).sensitivity());
        }
        return thresholds;
    }

    /**
     * Each tracker's uncertainty penalty in cosine under the policy ({@link MatchingPolicy#penaltyFor}), in
     * {@link #trackers()} order.
     */
    public double[] penalties(MatchingPolicy policy) {
        double[] penalties = new double[trackers.size()];
        for (int t = 0; t < penalties.length; t++) {
            penalties[t] = policy.penaltyFor(evidenceSpreads[t]);
        }
        return penalties;
    }

    /**
     * How many sentences (other trackers' phrases, reference sentences) each tracker's calibrated threshold was derived
     * from, in {@link #trackers()} order; 0 where there was too little and the policy's prior applies.
     */
    public int[] calibrationEvidence() {
        return calibration.evidence();
    }

    public List<TrackerDefinition> trackers() {
        return trackers;
    }

    /** The labelled examples of the trackers (teaching); {@link ExampleIndex#isEmpty()} when none has any. */
    public ExampleIndex examples() {
        return examples;
    }

    public int phraseCount() {
        return phrases.length;
    }

    int phraseStart(int tracker) {
        return phraseStart[tracker];
    }

    int phraseEnd(int tracker) {
        return phraseStart[tracker + 1];
    }

    /** Row of the tracker's centroid in the similarity rows. */
    int centroidRow(int tracker) {
        return phrases.length + tracker;
    }

    String phrase(int row) {
        return phrases[row];
    }

    int trackerOf(int phraseRow) {
        return phraseTracker[phraseRow];
    }

    PhraseFinder finder() {
        return finder;
    }

    Conditions conditions() {
        return conditions;
    }

    /** The first similarity row of the reference sentences (the rows before it are phrases and centroids). */
    int everydayTalkStart() {
        return referenceStart;
    }

    /**
     * Whether a span's score for tracker t loses to everyday talk: t is nearly alone (its other trackers have fewer
     * phrases than {@link ThresholdCalibration#fewCompetitors} allows) and the span is at least as close to one of the
     * reference sentences (greetings, "can you hear me", small talk) as to t: the span as a whole, while t's score
     * may come from one of its word windows. With other trackers in play the classifier and their phrases tell a
     * tracker's topic from the rest; a tracker alone has only its threshold, which 2.5 % of everyday talk passes by
     * construction, so "What time is it?" fired a lone pricing tracker.
     *
     * @param sims the span's similarity row (phrases, centroids, then the reference sentences)
     */
    boolean losesToEverydayTalk(int t, float score, float[] sims) {
        if (!nearlyAlone[t]) {
            return false;
        }
        for (int r = referenceStart; r < rows; r++) {
            if (sims[r] >= score) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reference sentence closest to a span, with its cosine, or null without reference sentences: the everyday
     * talk that {@link #losesToEverydayTalk} found at least as close as the tracker.
     *
     * @param sims the span's similarity row (phrases, centroids, then the reference sentences)
     */
    Explanation.EverydayTalk closestEverydayTalk(float[] sims) {
        if (rows == referenceStart) {
            return null;
        }
        int closest = referenceStart;
        for (int r = referenceStart + 1; r < rows; r++) {
            if (sims[r] > sims[closest]) {
                closest = r;
            }
        }
        return new Explanation.EverydayTalk(referenceTexts.get(closest - referenceStart), sims[closest]);
    }

    /**
     * Cosine similarity of each span vector to every row: {@code out[s][row]} for rows 0..phraseCount (phrases),
     * phraseCount..phraseCount+trackers (centroids), then the reference sentences ({@link #everydayTalkStart}).
     */
    void similarities(float[][] spanVectors, float[][] out) {
        matrix.multiply(spanVectors, out);
        if (referenceMatrix != null && spanVectors.length > 0) {
            float[][] reference = new float[spanVectors.length][rows - referenceStart];
            referenceMatrix.multiply(spanVectors, reference);
            for (int s = 0; s < spanVectors.length; s++) {
                System.arraycopy(reference[s], 0, out[s], referenceStart, reference[s].length);
            }
        }
    }

    /**
     * Like {@link #similarities} for the phrases' and centroids' rows only ({@code out[s][row]} for rows before
     * {@link #everydayTalkStart}; the rest are left as they were): what a span's word windows are compared with.
     */
    void phraseSimilarities(float[][] spanVectors, float[][] out) {
        matrix.multiply(spanVectors, out);
    }

    /**
     * Frees the index's off-heap memory (a native kernel's packed matrix) now, e.g. when a cache drops it, rather
     * than whenever the garbage collector gets to it. Matching with a released index still works. The reference
     * sentences' matrix is the kernel's, shared with other indexes, and stays.
     */
    public void release() {
        matrix.release();
        examples.release();
    }

    /** The kernel the index scores with, for other products about its trackers (the suggestions' scores). */
    SimilarityKernel kernel() {
        return kernel;
    }

    int rows() {
        return rows;
    }

    private static float[] centroid(float[][] vectors, int dimension) {
        float[] sum = new float[dimension];
        for (float[] v : vectors) {
            for (int d = 0; d < dimension; d++) {
                sum[d] += v[d];
            }
        }
        double norm = 0;
        for (float x : sum) {
            norm += x * x;
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < dimension; d++) {
            sum[d] *= scale;
        }
        return sum;
    }
}
