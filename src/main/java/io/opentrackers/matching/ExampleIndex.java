package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The labelled examples of a set of trackers (teaching), laid out for scoring, and the rule by which they change a
 * tracker's decision. Built with every {@link VocabularyIndex}; when no tracker of the set has examples it holds
 * nothing and the matcher never consults it, so the decision is exactly the vocabulary-only one.
 *
 * <p>The rule, per span, with {@code pos(t)} the best cosine to t's positive examples and {@code neg(t)} the best
 * cosine to its negative examples:
 * <ol>
 *   <li><b>Positives are phrases.</b> A tracker's score is the best cosine over its vocabulary and its positive
 *       examples. When a positive example of some tracker is closer to the span than any phrase of the tracker the
 *       vocabulary decision chose, that example's tracker is chosen instead, and it fires when that cosine reaches
 *       its threshold: a labelled sentence of the user's own conversations is better evidence than a classifier
 *       fitted on a handful of phrases.</li>
 *   <li><b>Negatives veto.</b> The chosen tracker does not fire when a negative example of it is at least as close
 *       as its score: the span's nearest labelled neighbour says no.</li>
 * </ol>
 * Nothing is fitted: adding an example costs one embedding and one row, so the decision is rebuilt on every change.
 * Literal phrase occurrences are not affected (they always fire). Immutable and thread-safe.
 */
public final class ExampleIndex {

    private static final ExampleIndex EMPTY = new ExampleIndex(new int[0], new boolean[0], new float[0][], 0, null);

    /** Per row: the tracker (position in the index) it belongs to, and its label. */
    private final int[] tracker;
    private final boolean[] positive;
    private final float[][] vectors;
    private final int trackers;
    private final SimilarityKernel.PreparedMatrix matrix;
    /** A row left out (leave-one-out estimates), or -1. */
    private final int excluded;

    private ExampleIndex(int[] tracker, boolean[] positive, float[][] vectors, int trackers,
            SimilarityKernel.PreparedMatrix matrix) {
        this(tracker, positive, vectors, trackers, matrix, -1);
    }

    private ExampleIndex(int[] tracker, boolean[] positive, float[][] vectors, int trackers,
            SimilarityKernel.PreparedMatrix matrix, int excluded) {
        this.tracker = tracker;
        this.positive = positive;
        this.vectors = vectors;
        this.trackers = trackers;
        this.matrix = matrix;
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
        return new ExampleIndex(owners.stream().mapToInt(Integer::intValue).toArray(), positive, vectors,
                embedded.size(), kernel.prepare(vectors, dimension));
    }

    /** Whether any tracker of the set has examples (otherwise the matcher ignores this index). */
    public boolean isEmpty() {
        return tracker.length == 0;
    }

    public int rows() {
        return tracker.length;
    }

    /** Row of the {@code i}-th example of the tracker at position {@code t}, or -1. */
    public int rowOf(int t, int i) {
        int seen = 0;
        for (int row = 0; row < tracker.length; row++) {
            if (tracker[row] == t && seen++ == i) {
                return row;
            }
        }
        return -1;
    }

    /** The same examples with one row left out, for leave-one-out estimates; shares the prepared matrix. */
    public ExampleIndex without(int row) {
        return new ExampleIndex(tracker, positive, vectors, trackers, matrix, row);
    }

    float[] vector(int row) {
        return vectors[row];
    }

    boolean isPositive(int row) {
        return positive[row];
    }

    int trackerOf(int row) {
        return tracker[row];
    }

    /** {@code out[s][row]} = cosine of span s to example row. */
    void similarities(float[][] spanVectors, float[][] out) {
        matrix.multiply(spanVectors, out);
    }

    /** Best cosine per tracker to its positive ({@code pos}) and negative ({@code neg}) examples; -inf when none. */
    void best(float[] sims, float[] pos, float[] neg) {
        Arrays.fill(pos, Float.NEGATIVE_INFINITY);
        Arrays.fill(neg, Float.NEGATIVE_INFINITY);
        for (int row = 0; row < tracker.length; row++) {
            if (row == excluded) {
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

    static final String RULE = System.getProperty("teach.rule", "A");
    static final double DELTA = Double.parseDouble(System.getProperty("teach.delta", "0"));

    /**
     * The tracker that fires on a span under the classifier decision with examples, or -1.
     *
     * @param scores      per tracker, the vocabulary score of the span (max phrase cosine); updated in place to the
     *                    taught score (max over phrases and positive examples)
     * @param chosen      the vocabulary decision's tracker (classifier choice)
     * @param probability the classifier's probability for it
     */
    int chooseWithClassifier(float[] sims, float[] scores, double[] thresholds, int chosen, double probability,
            MatchingPolicy policy, TrackerClassifier classifier, float[] vector) {
        float[] pos = new float[trackers];
        float[] neg = new float[trackers];
        best(sims, pos, neg);
        if (CLASSIFIER.equals("posneg2")) {
            double[] p = classifier.probabilities(vector);
            if (chosen >= trackers) {
                return -1;
            }
            probability = p[chosen] / Math.max(1e-12, 1 - p[trackers]);
        }
        int nearest = 0;
        for (int t = 1; t < trackers; t++) {
            if (pos[t] > pos[nearest]) {
                nearest = t;
            }
        }
        if (chosen >= trackers) {
            return -1; // the classifier's "none" class: the span is like the negatives
        }
        float chosenVocabulary = scores[chosen];
        for (int k = 0; k < trackers; k++) {
            scores[k] = Math.max(scores[k], pos[k]);
        }
        int t = chosen;
        boolean accepts = policy.classifierAccepts(scores[chosen], thresholds[chosen], probability);
        if (RULE.equals("B") && pos[nearest] > chosenVocabulary && pos[nearest] > pos[chosen]) {
            t = nearest;
            accepts = pos[nearest] >= thresholds[nearest] + DELTA;
        } else if (RULE.equals("C") && nearest != chosen && pos[nearest] > scores[chosen]
                && pos[nearest] >= thresholds[nearest] + DELTA) {
            t = nearest;
            accepts = true;
        }
        return accepts && neg[t] < scores[t] ? t : -1;
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

    static final String CLASSIFIER = System.getProperty("teach.classifier", "none");

    /**
     * The classifier fitted on the vocabulary and the examples: positives are rows of their tracker; negatives
     * (the rows no tracker should fire on) form one more class, "none", which no tracker fires for.
     */
    TrackerClassifier fitClassifier(float[][] phraseVectors, int[] phraseTracker) {
        if (CLASSIFIER.equals("none")) {
            return TrackerClassifier.fit(phraseVectors, phraseTracker, trackers);
        }
        boolean withNegatives = CLASSIFIER.startsWith("posneg");
        List<float[]> rows = new ArrayList<>(List.of(phraseVectors));
        List<Integer> labels = new ArrayList<>();
        for (int label : phraseTracker) {
            labels.add(label);
        }
        for (int row = 0; row < tracker.length; row++) {
            if (row == excluded) {
                continue;
            }
            if (positive[row]) {
                rows.add(vectors[row]);
                labels.add(tracker[row]);
            } else if (withNegatives) {
                rows.add(vectors[row]);
                labels.add(trackers);
            }
        }
        return TrackerClassifier.fit(rows.toArray(new float[0][]), labels.stream().mapToInt(Integer::intValue)
                .toArray(), withNegatives ? trackers + 1 : trackers);
    }

    void release() {
        if (matrix != null) {
            matrix.release();
        }
    }
}
