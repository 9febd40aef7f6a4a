package io.opentrackers.matching;

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
 * initialisation.
 */
final class TrackerClassifier {

    static final double SCALE = 10;
    static final double L2 = 1e-3;
    static final int ITERATIONS = 50;
    /**
     * Fitting costs ITERATIONS × 2 × phrases × trackers × dimension multiply-adds (77 trackers × 10 phrases: about
     * 1 s of CPU); above this many phrase × tracker products (e.g. 1,000 phrases × 100 trackers, ~1.7 s) it would
     * take longer, so such indexes do without a classifier (MAX decides).
     */
    static final long MAX_PHRASE_TRACKER_PRODUCTS = 100_000;

    /** Row-major trackers × dimension, scale folded in. */
    private final float[] weights;
    /** Bias with the centring folded in: b - W·mean. */
    private final float[] bias;
    private final int trackers;
    private final int dimension;

    private TrackerClassifier(float[] weights, float[] bias, int trackers, int dimension) {
        this.weights = weights;
        this.bias = bias;
        this.trackers = trackers;
        this.dimension = dimension;
    }

    static boolean affordable(int phrases, int trackers) {
        return (long) phrases * trackers <= MAX_PHRASE_TRACKER_PRODUCTS;
    }

    /**
     * @param vectors phrase vectors (unit length), one per row
     * @param labels  the tracker (0..trackers-1) of each phrase
     */
    static TrackerClassifier fit(float[][] vectors, int[] labels, int trackers) {
        int n = vectors.length;
        int d = n == 0 ? 0 : vectors[0].length;
        double[] mean = new double[d];
        for (float[] v : vectors) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[j] / n;
            }
        }
        // float and flat rows: the inner loops are dot products and axpys over the dimension, which the JIT
        // unrolls/vectorises; doubles would halve the throughput for no measurable gain in accuracy
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) ((vectors[i][j] - mean[j]) * SCALE);
            }
        }
        float step = (float) (1 / (0.5 * largestEigenvalue(x, d) + L2));
        float[][] w = new float[trackers][d];
        float[] b = new float[trackers];
        float[][] lookW = new float[trackers][d];
        float[] lookB = new float[trackers];
        float[][] gradW = new float[trackers][d];
        float[] gradB = new float[trackers];
        double[] logits = new double[trackers];
        double momentum = 1;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            for (float[] row : gradW) {
                java.util.Arrays.fill(row, 0);
            }
            java.util.Arrays.fill(gradB, 0);
            for (int i = 0; i < n; i++) {
                float[] xi = x[i];
                double top = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < trackers; k++) {
                    logits[k] = lookB[k] + Vectors.dot(lookW[k], xi);
                    top = Math.max(top, logits[k]);
                }
                double sum = 0;
                for (int k = 0; k < trackers; k++) {
                    logits[k] = Math.exp(logits[k] - top);
                    sum += logits[k];
                }
                for (int k = 0; k < trackers; k++) {
                    float g = (float) ((logits[k] / sum - (labels[i] == k ? 1 : 0)) / n);
                    gradB[k] += g;
                    if (Math.abs(g) < 1e-9f) {
                        continue; // confident, correct trackers contribute nothing measurable
                    }
                    float[] gw = gradW[k];
                    for (int j = 0; j < d; j++) {
                        gw[j] += g * xi[j];
                    }
                }
            }
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
        return new TrackerClassifier(weights, bias, trackers, d);
    }

    /** The tracker a span is most likely about, and the classifier's probability for it (softmax over all trackers). */
    record Choice(int tracker, double probability) {
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
            for (int k = 0; k < trackers; k++) {
                logits[k] = (logits[k] + whole[k]) / 2;
            }
        }
        int best = 0;
        for (int k = 1; k < trackers; k++) {
            if (logits[k] > logits[best]) {
                best = k;
            }
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - logits[best]);
        }
        return new Choice(best, 1 / sum);
    }

    private float[] logits(float[] vector) {
        float[] logits = new float[trackers];
        for (int k = 0; k < trackers; k++) {
            float logit = bias[k];
            int off = k * dimension;
            for (int j = 0; j < dimension; j++) {
                logit += weights[off + j] * vector[j];
            }
            logits[k] = logit;
        }
        return logits;
    }

    /** Largest eigenvalue of XᵀX / n (the softmax loss is 0.5·that smooth), by power iteration. */
    private static double largestEigenvalue(float[][] x, int d) {
        if (x.length == 0) {
            return 1;
        }
        double[] v = new double[d];
        java.util.Arrays.fill(v, 1 / Math.sqrt(d));
        double lambda = 1e-9;
        for (int iteration = 0; iteration < 30; iteration++) {
            double[] next = new double[d];
            for (float[] row : x) {
                double p = 0;
                for (int j = 0; j < d; j++) {
                    p += row[j] * v[j];
                }
                for (int j = 0; j < d; j++) {
                    next[j] += p * row[j] / x.length;
                }
            }
            double norm = 0;
            for (double value : next) {
                norm += value * value;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 1e-9;
            }
            for (int j = 0; j < d; j++) {
                v[j] = next[j] / norm;
            }
            lambda = norm;
        }
        return lambda;
    }

}
