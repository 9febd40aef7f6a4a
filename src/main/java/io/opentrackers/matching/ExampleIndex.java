package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The labelled examples of a set of trackers (teaching), laid out for scoring, and the rule by which they change
 * the trackers' decision. Built with every {@link VocabularyIndex}; when no tracker of the set has examples it holds
 * nothing and the matcher never consults it, so the decision is exactly the vocabulary-only one. A tracker without
 * examples of its own decides exactly as without teaching too (only the classifier, fitted with the other trackers'
 * positives, differs).
 *
 * <p>The rule (CLASSIFIER policy), per span, for the tracker the classifier chooses:
 * <ol>
 *   <li><b>Positives are phrases.</b> A tracker's score is the best cosine over its vocabulary and its positive
 *       examples, and the classifier that chooses the span's tracker is fitted on the phrases and the positive
 *       examples of every tracker in play (the other trackers' examples make them better competitors).</li>
 *   <li><b>The labelled neighbourhood votes.</b> The tracker's {@value #NEIGHBOURS} nearest labelled neighbours of
 *       the span (its examples, plus its vocabulary as one positive neighbour at the vocabulary score) vote, each
 *       weighted by {@code exp((cosine - nearest cosine) / }{@value #TEMPERATURE}{@code )}: a neighbour 0.05 less
 *       close than the nearest counts e⁻¹ as much. It fires only when the positive share of the vote reaches
 *       {@value #MIN_VOTE}, so a negative example close to the span stops it (the nearest labelled sentence
 *       outweighs farther ones), while one negative among as-close positives is outvoted.</li>
 *   <li>It fires when, in addition, its score passes the policy's test (threshold plus uncertainty penalty, as
 *       without examples), lowered by up to {@value #VOTE_BONUS} as the vote rises from {@value #MIN_VOTE} to
 *       unanimous: a sentence whose labelled neighbours all say yes needs a little less cosine.</li>
 * </ol>
 * Other aggregations: positives raise the scores, the same vote and bonus apply. Literal phrase occurrences always
 * fire. The constants and the alternatives measured (a "none" class of the classifier, thresholds fitted on the
 * examples, a pooled logistic model on score features, a nearest-neighbour veto) are in docs/teaching.md; they were
 * chosen on validation sets carved from the simulation's history ({@code simulate --validation}).
 *
 * <p>Refitting is bounded: positives join the classifier only up to as many as there are phrases (and within the
 * largest classifier the service fits without examples, {@link TrackerClassifier#MAX_PHRASE_TRACKER_PRODUCTS} rows
 * × trackers), a fair share per tracker, latest examples first; all of them always count in the scores and votes.
 * Immutable and thread-safe.
 */
public final class ExampleIndex {

    /** Labelled neighbours that vote on a span. */
    static final int NEIGHBOURS = 5;
    /** Cosine scale of the neighbours' weights. */
    static final double TEMPERATURE = 0.05;
    /** Positive share of the weighted vote a tracker needs to fire. */
    static final double MIN_VOTE = 0.6;
    /** How much less cosine a unanimous vote asks for. */
    static final double VOTE_BONUS = 0.03;

    private static final ExampleIndex EMPTY = new ExampleIndex(new int[0], new boolean[0], new float[0][], 0, null,
            new float[0][][], null, SimilarityKernel.portable());

    /** Per row: the tracker (position in the index) it belongs to, its label and its vector. */
    private final int[] tracker;
    private final boolean[] positive;
    private final float[][] vectors;
    private final int trackers;
    private final SimilarityKernel.PreparedMatrix matrix;
    /** The products of the classifier's fit. */
    private final SimilarityKernel kernel;
    /** Per tracker, its phrase vectors (the classifier is fitted on them and the positives). */
    private final float[][][] phraseVectors;
    /** Per tracker, its rows. */
    private final int[][] rowsOf;
    /** Rows left out (cross-validation), or null. */
    private final boolean[] excluded;
    /** The classifier of a cross-validation fold (fitted without its rows) on first use. */
    private TrackerClassifier foldClassifier;
    private boolean foldClassifierFitted;

    private ExampleIndex(int[] tracker, boolean[] positive, float[][] vectors, int trackers,
            SimilarityKernel.PreparedMatrix matrix, float[][][] phraseVectors, boolean[] excluded,
            SimilarityKernel kernel) {
        this.tracker = tracker;
        this.kernel = kernel;
        this.positive = positive;
        this.vectors = vectors;
        this.trackers = trackers;
        this.matrix = matrix;
        this.phraseVectors = phraseVectors;
        this.excluded = excluded;
        int[] counts = new int[trackers];
        for (int t : tracker) {
            counts[t]++;
        }
        rowsOf = new int[trackers][];
        for (int t = 0; t < trackers; t++) {
            rowsOf[t] = new int[counts[t]];
            counts[t] = 0;
        }
        for (int row = 0; row < tracker.length; row++) {
            rowsOf[tracker[row]][counts[tracker[row]]++] = row;
        }
    }

    /** The examples of the embedded trackers, in tracker order then example order; empty when there are none. */
    static ExampleIndex of(List<VocabularyIndex.EmbeddedTracker> embedded, SimilarityKernel kernel) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        int dimension = 0;
        for (int t = 0; t < embedded.size(); t++) {
            VocabularyIndex.EmbeddedTracker e = embedded.get(t);
            List<LabelledExample> examples = e.tracker().examples();
            if (e.exampleVectors().length != examples.size()) {
                throw new IllegalArgumentException("tracker " + e.tracker().id() + " has " + examples.size()
                        + " examples but " + e.exampleVectors().length + " vectors");
            }
            for (int i = 0; i < examples.size(); i++) {
                rows.add(e.exampleVectors()[i]);
                owners.add(t);
                labels.add(examples.get(i).match());
                dimension = e.exampleVectors()[i].length;
            }
        }
        if (rows.isEmpty()) {
            return EMPTY;
        }
        boolean[] positive = new boolean[labels.size()];
        for (int i = 0; i < positive.length; i++) {
            positive[i] = labels.get(i);
        }
        float[][] vectors = rows.toArray(new float[0][]);
        float[][][] phrases = embedded.stream().map(VocabularyIndex.EmbeddedTracker::phraseVectors)
                .toArray(float[][][]::new);
        return new ExampleIndex(owners.stream().mapToInt(Integer::intValue).toArray(), positive, vectors,
                embedded.size(), kernel.prepare(vectors, dimension), phrases, null, kernel);
    }

    /** Whether any tracker of the set has examples (otherwise the matcher ignores this index). */
    public boolean isEmpty() {
        return tracker.length == 0;
    }

    public int rows() {
        return tracker.length;
    }

    /** Row of the {@code i}-th example of the tracker at position {@code t}, or -1. */
    int rowOf(int t, int i) {
        int seen = 0;
        for (int row = 0; row < tracker.length; row++) {
            if (tracker[row] == t && seen++ == i) {
                return row;
            }
        }
        return -1;
    }

    /**
     * The same examples with some rows left out, as if they had never been given (cross-validation): they count
     * neither in the scores and votes nor in the classifier, which is refitted without them on first use.
     */
    ExampleIndex without(boolean[] rows) {
        return new ExampleIndex(tracker, positive, vectors, trackers, matrix, phraseVectors, rows, kernel);
    }

    float[] vector(int row) {
        return vectors[row];
    }

    private boolean counts(int row) {
        return excluded == null || !excluded[row];
    }

    /** {@code out[s][row]} = cosine of span s to example row. */
    void similarities(float[][] spanVectors, float[][] out) {
        matrix.multiply(spanVectors, out);
    }

    /** Best cosine per tracker to its positive examples; -inf when none. */
    /**
     * The position, among tracker t's examples, of its positive example closest to a span, or -1 when it has none
     * (that counts): the example that gave the span its taught score when that beats the vocabulary.
     */
    int closestPositive(float[] sims, int t) {
        int closest = -1;
        for (int i = 0; i < rowsOf[t].length; i++) {
            int row = rowsOf[t][i];
            if (positive[row] && counts(row) && (closest < 0 || sims[row] > sims[rowsOf[t][closest]])) {
                closest = i;
            }
        }
        return closest;
    }

    private float[] bestPositive(float[] sims) {
        float[] pos = new float[trackers];
        Arrays.fill(pos, Float.NEGATIVE_INFINITY);
        for (int row = 0; row < tracker.length; row++) {
            if (positive[row] && counts(row)) {
                pos[tracker[row]] = Math.max(pos[tracker[row]], sims[row]);
            }
        }
        return pos;
    }

    /**
     * The positive share of the distance-weighted vote of tracker t's {@value #NEIGHBOURS} nearest labelled
     * neighbours of a span (its examples, and its vocabulary as one positive neighbour at {@code vocabularyScore}),
     * or NaN when t has no examples (that count).
     */
    double vote(float[] sims, int t, float vocabularyScore) {
        float[] nearest = new float[NEIGHBOURS];
        boolean[] labels = new boolean[NEIGHBOURS];
        int size = 0;
        boolean any = false;
        // insertion into a short sorted list: a tracker has at most 1,000 examples and 5 neighbours are kept
        for (int i = -1; i < rowsOf[t].length; i++) {
            int row = i < 0 ? -1 : rowsOf[t][i];
            if (row >= 0 && !counts(row)) {
                continue;
            }
            any |= row >= 0;
            float sim = row < 0 ? vocabularyScore : sims[row];
            boolean label = row < 0 || positive[row];
            if (size == NEIGHBOURS && sim <= nearest[NEIGHBOURS - 1]) {
                continue;
            }
            int at = Math.min(size, NEIGHBOURS - 1);
            while (at > 0 && nearest[at - 1] < sim) {
                nearest[at] = nearest[at - 1];
                labels[at] = labels[at - 1];
                at--;
            }
            nearest[at] = sim;
            labels[at] = label;
            size = Math.min(size + 1, NEIGHBOURS);
        }
        if (!any) {
            return Double.NaN;
        }
        double yes = 0;
        double all = 0;
        for (int k = 0; k < size; k++) {
            double weight = Math.exp((nearest[k] - nearest[0]) / TEMPERATURE);
            all += weight;
            yes += labels[k] ? weight : 0;
        }
        return yes / all;
    }

    /**
     * The cosine tracker t's span needs given its examples, where the default test asks {@code required}: lowered by
     * the vote's bonus of the class comment, {@code +infinity} when the labelled neighbours vote it out, exactly
     * {@code required} when t has no examples.
     */
    double taughtThreshold(float[] sims, int t, float vocabularyScore, double required) {
        double vote = vote(sims, t, vocabularyScore);
        if (Double.isNaN(vote)) {
            return required;
        }
        return vote < MIN_VOTE ? Double.POSITIVE_INFINITY
                : required - VOTE_BONUS * (vote - MIN_VOTE) / (1 - MIN_VOTE);
    }

    /**
     * The cosine the classifier's choice needs on a span with examples (see {@link #taughtThreshold}), the
     * threshold the decision and its explanation both use.
     *
     * @param scores      per tracker, the vocabulary score of the span (max phrase cosine); updated in place to the
     *                    taught score (max over phrases and positive examples)
     * @param chosen      the classifier's choice (fitted with the examples, see {@link #classifier})
     * @param required    the cosine the choice needs without examples (its threshold and uncertainty penalty)
     */
    double chosenThreshold(float[] sims, float[] scores, int chosen, double required) {
        float vocabularyScore = scores[chosen];
        float[] pos = bestPositive(sims);
        for (int k = 0; k < trackers; k++) {
            scores[k] = Math.max(scores[k], pos[k]);
        }
        return taughtThreshold(sims, chosen, vocabularyScore, required);
    }

    /**
     * The other aggregations: positives raise each tracker's score (and so the best score the margin is measured
     * from), the vote decides as above. Returns per tracker whether it may fire; {@code scores} is updated in place.
     */
    boolean[] firesWithMargin(float[] sims, float[] scores, double[] thresholds, double[] margins) {
        float[] vocabulary = scores.clone();
        float[] pos = bestPositive(sims);
        float top = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < trackers; t++) {
            scores[t] = Math.max(scores[t], pos[t]);
            top = Math.max(top, scores[t]);
        }
        boolean[] fires = new boolean[trackers];
        for (int t = 0; t < trackers; t++) {
            fires[t] = scores[t] >= top - margins[t] && scores[t] >= taughtThreshold(sims, t, vocabulary[t], thresholds[t]);
        }
        return fires;
    }

    /**
     * The classifier the matcher uses with these examples: the index's own (fitted with all examples), or for a
     * cross-validation fold one fitted without the fold's rows. Null when the index keeps no classifier.
     */
    TrackerClassifier classifier(VocabularyIndex index) {
        TrackerClassifier full = index.classifier();
        if (excluded == null || full == null) {
            return full;
        }
        synchronized (this) {
            if (!foldClassifierFitted) {
                foldClassifier = fitClassifier();
                foldClassifierFitted = true;
            }
            return foldClassifier;
        }
    }

    /** The classifier on every tracker's phrases and (up to the budget) positive examples, see the class comment. */
    TrackerClassifier fitClassifier() {
        int phraseCount = 0;
        for (float[][] phrases : phraseVectors) {
            phraseCount += phrases.length;
        }
        List<float[]> rows = new ArrayList<>(phraseCount);
        List<Integer> labels = new ArrayList<>(phraseCount);
        for (int t = 0; t < trackers; t++) {
            for (float[] phrase : phraseVectors[t]) {
                rows.add(phrase);
                labels.add(t);
            }
        }
        int[] perTracker = new int[trackers];
        int taughtTrackers = 0;
        for (int row = 0; row < tracker.length; row++) {
            if (positive[row] && counts(row) && perTracker[tracker[row]]++ == 0) {
                taughtTrackers++;
            }
        }
        // at most as many positives as phrases (and within the largest classifier fitted without examples): a
        // refit then costs at most twice the vocabulary's own fit
        long budget = Math.min(phraseCount, TrackerClassifier.MAX_PHRASE_TRACKER_PRODUCTS / Math.max(1, trackers)
                - phraseCount);
        int quota = taughtTrackers == 0 ? 0 : (int) Math.max(0, budget / taughtTrackers);
        int[] taken = new int[trackers];
        for (int row = tracker.length - 1; row >= 0; row--) { // latest first
            int t = tracker[row];
            if (positive[row] && counts(row) && taken[t] < quota) {
                taken[t]++;
                rows.add(vectors[row]);
                labels.add(t);
            }
        }
        return TrackerClassifier.fit(rows.toArray(new float[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray(), trackers, kernel);
    }

    void release() {
        if (matrix != null) {
            matrix.release();
        }
    }
}
