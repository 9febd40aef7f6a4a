package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The labelled examples of a set of trackers (teaching), laid out for scoring, and the rule by which they change
 * the trackers' decision. Built with every {@link VocabularyIndex}; when no tracker of the set has examples it holds
 * nothing and the matcher never consults it, so the decision is exactly the vocabulary-only one.
 *
 * <p>The rule (CLASSIFIER policy), per span, with {@code pos(t)} the best cosine to t's positive examples and
 * {@code neg(t)} the best cosine to its negative examples:
 * <ol>
 *   <li><b>Positives are phrases.</b> A tracker's score is the best cosine over its vocabulary and its positive
 *       examples, and the classifier that chooses the span's tracker is fitted on the phrases and the positive
 *       examples of every tracker in play (the other trackers' examples make them better competitors).</li>
 *   <li>The chosen tracker fires when that score passes the policy's test (threshold plus uncertainty penalty),
 *       as without examples.</li>
 *   <li><b>Negatives veto.</b> It does not fire when a negative example of it is at least as close to the span as
 *       its score: the span's nearest labelled neighbour says no.</li>
 * </ol>
 * Other aggregations: positives raise the scores, negatives veto likewise. Literal phrase occurrences always fire.
 * Alternatives measured on the simulation (docs/teaching.md) did worse: negatives as a "none" class of the
 * classifier, per-tracker thresholds fitted on the examples, letting the nearest positive example choose the
 * tracker on its own.
 *
 * <p>Refitting is bounded: positives join the classifier only up to as many as there are phrases (and within the
 * largest classifier the service fits without examples, {@link TrackerClassifier#MAX_PHRASE_TRACKER_PRODUCTS} rows
 * × trackers), a fair share per tracker, latest examples first; all of them always count in the scores and vetoes.
 * Immutable and thread-safe.
 */
public final class ExampleIndex {

    private static final ExampleIndex EMPTY = new ExampleIndex(new int[0], new boolean[0], new float[0][], 0, null,
            new float[0][][], null);

    /** Per row: the tracker (position in the index) it belongs to, its label and its vector. */
    private final int[] tracker;
    private final boolean[] positive;
    private final float[][] vectors;
    private final int trackers;
    private final SimilarityKernel.PreparedMatrix matrix;
    /** Per tracker, its phrase vectors (the classifier is fitted on them and the positives). */
    private final float[][][] phraseVectors;
    /** Rows left out (cross-validation), or null. */
    private final boolean[] excluded;
    /** The classifier of a cross-validation fold (fitted without its rows) on first use. */
    private TrackerClassifier foldClassifier;
    private boolean foldClassifierFitted;

    private ExampleIndex(int[] tracker, boolean[] positive, float[][] vectors, int trackers,
            SimilarityKernel.PreparedMatrix matrix, float[][][] phraseVectors, boolean[] excluded) {
        this.tracker = tracker;
        this.positive = positive;
        this.vectors = vectors;
        this.trackers = trackers;
        this.matrix = matrix;
        this.phraseVectors = phraseVectors;
        this.excluded = excluded;
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
                embedded.size(), kernel.prepare(vectors, dimension), phrases, null);
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
     * neither in the scores and vetoes nor in the classifier, which is refitted without them on first use.
     */
    ExampleIndex without(boolean[] rows) {
        return new ExampleIndex(tracker, positive, vectors, trackers, matrix, phraseVectors, rows);
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

    /** Best cosine per tracker to its positive ({@code pos}) and negative ({@code neg}) examples; -inf when none. */
    private void best(float[] sims, float[] pos, float[] neg) {
        Arrays.fill(pos, Float.NEGATIVE_INFINITY);
        Arrays.fill(neg, Float.NEGATIVE_INFINITY);
        for (int row = 0; row < tracker.length; row++) {
            if (!counts(row)) {
                continue;
            }
            int t = tracker[row];
            if (positive[row]) {
                pos[t] = Math.max(pos[t], sims[row]);
            } else {
                neg[t] = Math.max(neg[t], sims[row]);
            }
        }
    }

    /**
     * The tracker that fires on a span under the classifier decision with examples, or -1.
     *
     * @param scores      per tracker, the vocabulary score of the span (max phrase cosine); updated in place to the
     *                    taught score (max over phrases and positive examples)
     * @param chosen      the classifier's choice (fitted with the examples, see {@link #classifier})
     * @param probability the classifier's probability for it
     */
    int chooseWithClassifier(float[] sims, float[] scores, double[] thresholds, int chosen, double probability,
            MatchingPolicy policy) {
        float[] pos = new float[trackers];
        float[] neg = new float[trackers];
        best(sims, pos, neg);
        for (int k = 0; k < trackers; k++) {
            scores[k] = Math.max(scores[k], pos[k]);
        }
        boolean accepts = policy.classifierAccepts(scores[chosen], thresholds[chosen], probability);
        return accepts && neg[chosen] < scores[chosen] ? chosen : -1;
    }

    /**
     * The other aggregations: positives raise each tracker's score (and so the best score the margin is measured
     * from), negatives veto as above. Returns per tracker whether it may fire; {@code scores} is updated in place.
     */
    boolean[] firesWithMargin(float[] sims, float[] scores, double[] thresholds, double[] margins) {
        float[] pos = new float[trackers];
        float[] neg = new float[trackers];
        best(sims, pos, neg);
        float top = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < trackers; t++) {
            scores[t] = Math.max(scores[t], pos[t]);
            top = Math.max(top, scores[t]);
        }
        boolean[] fires = new boolean[trackers];
        for (int t = 0; t < trackers; t++) {
            fires[t] = scores[t] >= top - margins[t] && scores[t] >= thresholds[t] && neg[t] < scores[t];
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
                labels.stream().mapToInt(Integer::intValue).toArray(), trackers);
    }

    void release() {
        if (matrix != null) {
            matrix.release();
        }
    }
}
