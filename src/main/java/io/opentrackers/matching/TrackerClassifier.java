package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multinomial logistic regression (softmax) over the trackers in play, fitted only on the trackers' own vocabulary
 * vectors (phrase vector → its tracker). It decides WHICH tracker a span is about; whether the span is about any
 * tracker at all stays an absolute cosine floor (see {@link Aggregation#CLASSIFIER}). A max-cosine pick is fooled by
 * one stray phrase of a neighbouring tracker; the classifier weighs every phrase of every tracker at once and learns
 * the directions that separate neighbours ("card_arrival" vs "card_delivery_estimate").
 *
 * <p>Fitting: vectors are centred on the vocabulary mean (sentence-encoder vectors share a large common component,
 * which makes plain gradient descent crawl) and scaled by {@value #SCALE}; L2 penalty {@value #L2};
 * {@value #ITERATIONS} Nesterov-accelerated gradient steps with step 1/L, L from a power iteration on the data
 * covariance. With that, 50 steps reach the accuracy of 300 (docs/matching.md). Deterministic: no random
 * initialisation, and each step's products come from the kernel the index was built with, the same for the same
 * rows.
 */
final class TrackerClassifier {

    static final double SCALE = 10;
    static final double L2 = 1e-3;
    static final int ITERATIONS = 50;
    /**
     * Fitting costs ITERATIONS × 2 × phrases × trackers × dimension multiply-adds. Above this many phrase × tracker
     * products (e.g. 200 trackers × 10 phrases; the 500 × 10 account of the benchmarks is beyond it) a fit would hold
     * a tracker change (and a teaching refit) for seconds, so such indexes do without a classifier (MAX decides).
     * Chosen so that the largest fit with the matrix kernel costs about what the largest fit with Java loops did
     * at the previous limit of 100,000 (figures: docs/matching.md, {@code ClassifierFitBenchmarkTest}).
     */
    static final long MAX_PHRASE_TRACKER_PRODUCTS = 400_000;

    /** Row-major classes × dimension, scale folded in. */
    private final float[] weights;
    /** Bias with the centring folded in: b - W·mean. */
    private final float[] bias;
    /** How many classes the softmax has: one per tracker, a tracker and its copies being one. */
    private final int classes;
    /** Per class, its trackers in ascending order (more than one for a topic's copies, see {@link IdenticalTrackers}). */
    private final int[][] members;
    private final int dimension;

    private TrackerClassifier(float[] weights, float[] bias, int[][] members, int dimension) {
        this.weights = weights;
        this.bias = bias;
        this.classes = members.length;
        this.members = members;
        this.dimension = dimension;
    }

    static boolean affordable(int phrases, int trackers) {
        return (long) phrases * trackers <= MAX_PHRASE_TRACKER_PRODUCTS;
    }

    /**
     * Trackers of one topic ({@link IdenticalTrackers}: copies, and trackers that share most of their rows) are one
     * class, fitted on their rows taken once: a copy with the same rows is then chosen exactly where, and with the
     * probability with which, the first would be without it.
     *
     * @param rows    phrase vectors (unit length), one per row
     * @param labels  the tracker (0..trackers-1) of each phrase
     * @param kernel  the matrix product of each gradient step (the logits of every row, then the gradient): a
     *                native kernel fits 500–1,000 rows an order of magnitude faster than Java loops
     */
    static TrackerClassifier fit(float[][] rows, int[] labels, int trackers, SimilarityKernel kernel) {
        int[] first = IdenticalTrackers.firstOfEach(rows, labels, trackers);
        int[] classOf = new int[trackers];
        List<List<Integer>> memberLists = new ArrayList<>();
        for (int t = 0; t < trackers; t++) {
            if (first[t] == t) {
                classOf[t] = memberLists.size();
                memberLists.add(new ArrayList<>());
            }
            memberLists.get(classOf[first[t]]).add(t);
        }
        int[][] members = memberLists.stream().map(m -> m.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        boolean[] once = IdenticalTrackers.firstInTopic(rows, labels, first);
        List<float[]> kept = new ArrayList<>(rows.length);
        List<Integer> keptClasses = new ArrayList<>(rows.length);
        for (int r = 0; r < rows.length; r++) {
            if (once[r]) {
                kept.add(rows[r]);
                keptClasses.add(classOf[first[labels[r]]]);
            }
        }
        return fitClasses(kept.toArray(new float[0][]), keptClasses.stream().mapToInt(Integer::intValue).toArray(),
                members, kernel);
    }

    private static TrackerClassifier fitClasses(float[][] vectors, int[] labels, int[][] members,
            SimilarityKernel kernel) {
        int trackers = members.length;
        int n = vectors.length;
        int d = n == 0 ? 0 : vectors[0].length;
        double[] mean = new double[d];
        for (float[] v : vectors) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[j] / n;
            }
        }
        float[][] w = new float[trackers][d];
        float[] b = new float[trackers];
        if (n > 0 && d > 0) {
            float[][] x = new float[n][d];
            float[][] columns = new float[d][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = (float) ((vectors[i][j] - mean[j]) * SCALE);
                    columns[j][i] = x[i][j];
                }
            }
            SimilarityKernel.PreparedMatrix rows = kernel.prepareForRepeatedProducts(x, d);
            SimilarityKernel.PreparedMatrix byDimension = kernel.prepareForRepeatedProducts(columns, n);
            try {
                descend(rows, byDimension, x[0], labels, n, d, w, b);
            } finally {
                rows.release();
                byDimension.release();
            }
        }
        float[] weights = new float[trackers * d];
        float[] bias = new float[trackers];
        for (int k = 0; k < trackers; k++) {
            double shift = 0;
            for (int j = 0; j < d; j++) {
                weights[k * d + j] = (float) (w[k][j] * SCALE);
                shift += w[k][j] * SCALE * mean[j];
            }
            bias[k] = (float) (b[k] - shift);
        }
        return new TrackerClassifier(weights, bias, members, d);
    }

    /**
     * {@value #ITERATIONS} Nesterov steps on the softmax loss of the centred, scaled rows; each step is two matrix
     * products (every row's logits, then the gradient of every weight), the softmax in between stays in Java.
     *
     * @param rows        the n rows x (n × d), as prepared by the kernel
     * @param byDimension the same matrix transposed (d × n)
     * @param firstRow    its first row, where the power iteration starts
     * @param w           weights (trackers × d), written
     * @param b           biases, written
     */
    private static void descend(SimilarityKernel.PreparedMatrix rows, SimilarityKernel.PreparedMatrix byDimension,
            float[] firstRow, int[] labels, int n, int d, float[][] w, float[] b) {
        int trackers = w.length;
        float step = (float) (1 / (0.5 * largestEigenvalue(rows, byDimension, firstRow, n, d) + L2));
        float[][] lookW = new float[trackers][d];
        float[] lookB = new float[trackers];
        float[][] gradW = new float[trackers][d];
        float[] gradB = new float[trackers];
        // logits of every row, tracker-major (the kernel's output layout); then, in place, the loss's gradient
        // with respect to them
        float[][] logits = new float[trackers][n];
        double[] row = new double[trackers];
        double momentum = 1;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            rows.multiply(lookW, logits);
            java.util.Arrays.fill(gradB, 0);
            for (int i = 0; i < n; i++) {
                double top = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < trackers; k++) {
                    row[k] = lookB[k] + logits[k][i];
                    top = Math.max(top, row[k]);
                }
                double sum = 0;
                for (int k = 0; k < trackers; k++) {
                    row[k] = Math.exp(row[k] - top);
                    sum += row[k];
                }
                for (int k = 0; k < trackers; k++) {
                    float g = (float) ((row[k] / sum - (labels[i] == k ? 1 : 0)) / n);
                    logits[k][i] = g;
                    gradB[k] += g;
                }
            }
            byDimension.multiply(logits, gradW);
            float next = (float) ((1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2);
            float beta = (float) ((momentum - 1) / next);
            for (int k = 0; k < trackers; k++) {
                float[] wk = w[k];
                float[] lk = lookW[k];
                float[] gk = gradW[k];
                for (int j = 0; j < d; j++) {
                    float updated = lk[j] - step * (gk[j] + (float) L2 * lk[j]);
                    lk[j] = updated + beta * (updated - wk[j]);
                    wk[j] = updated;
                }
                float updated = lookB[k] - step * gradB[k];
                lookB[k] = updated + beta * (updated - b[k]);
                b[k] = updated;
            }
            momentum = next;
        }
    }

    /**
     * The trackers a span is most likely about (one, or the trackers of one topic, ascending: {@link IdenticalTrackers}),
     * and the classifier's probability for them (softmax over the topics).
     */
    record Choice(int[] trackers, double probability) {

        /** The first of the chosen trackers, the one explanations name. */
        int tracker() {
            return trackers[0];
        }

        boolean chose(int tracker) {
            for (int t : trackers) {
                if (t == tracker) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Choice other && Arrays.equals(trackers, other.trackers)
                    && Double.compare(probability, other.probability) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(trackers) + Double.hashCode(probability);
        }

        @Override
        public String toString() {
            return "Choice" + Arrays.toString(trackers) + " p=" + probability;
        }
    }

    /** The most probable tracker for a (unit) span vector, with its probability. */
    Choice choose(float[] vector) {
        return choose(vector, null);
    }

    /**
     * The most probable tracker for a span read in the context of its whole message: the normalised geometric mean
     * of the span's and the whole message's distributions, with equal weights, i.e. the softmax of their mean
     * logits. A sentence ("What should I do?") that alone could be about anything leans on its message ("I lost my
     * card."), and a message's sentences agree more often on one tracker. Without a context (null), the span's own.
     */
    Choice choose(float[] vector, float[] context) {
        float[] logits = logits(vector);
        if (context != null) {
            float[] whole = logits(context);
            for (int k = 0; k < classes; k++) {
                logits[k] = (logits[k] + whole[k]) / 2;
            }
        }
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (logits[k] > logits[best]) {
                best = k;
            }
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - logits[best]);
        }
        return new Choice(members[best], 1 / sum);
    }

    private float[] logits(float[] vector) {
        float[] logits = new float[classes];
        for (int k = 0; k < classes; k++) {
            float logit = bias[k];
            int off = k * dimension;
            for (int j = 0; j < dimension; j++) {
                logit += weights[off + j] * vector[j];
            }
            logits[k] = logit;
        }
        return logits;
    }

    /**
     * Largest eigenvalue of XᵀX / n (the softmax loss is 0.5·that smooth), by power iteration. It starts from a row
     * of X, not from a constant vector: when every phrase's components sum to the same value (bag-of-words vectors
     * of equally long phrases), centring makes the constant vector an exact null vector and the iteration would
     * find 0.
     */
    private static double largestEigenvalue(SimilarityKernel.PreparedMatrix rows,
            SimilarityKernel.PreparedMatrix byDimension, float[] start, int n, int d) {
        float[][] v = {start.clone()};
        float[][] projected = new float[1][n];
        float[][] next = new float[1][d];
        double lambda = 1e-9;
        for (int iteration = 0; iteration < 30; iteration++) {
            rows.multiply(v, projected);
            byDimension.multiply(projected, next);
            double norm = 0;
            for (float value : next[0]) {
                norm += (double) value * value;
            }
            norm = Math.sqrt(norm) / n;
            if (norm == 0) {
                return 1e-9;
            }
            for (int j = 0; j < d; j++) {
                v[0][j] = (float) (next[0][j] / n / norm);
            }
            lambda = norm;
        }
        return lambda;
    }

}
