package io.opentrackers.matching;

/**
 * Computes the dot products of span vectors with every row of a vocabulary matrix, the dominant cost of matching
 * against large accounts (500 trackers × 50 phrases = 25,500 rows × 384 dimensions per span). The matrix is
 * prepared once per {@link VocabularyIndex}, so an implementation may lay it out (or pack it) for its kernel.
 *
 * <p>{@link #portable()} is plain Java and always available; the application plugs in a native matrix product
 * (see {@code embedding/OnnxSimilarityKernel}) that is an order of magnitude faster on large vocabularies.
 */
public interface SimilarityKernel {

    /** A vocabulary matrix in the kernel's own layout. Thread-safe. */
    interface PreparedMatrix {

        /**
         * {@code out[s][row] = spans[s] · rows[row]} for every row of the matrix; each {@code out[s]} must have at
         * least as many elements as the matrix has rows.
         */
        void multiply(float[][] spans, float[][] out);

        /**
         * Frees what the matrix holds outside the Java heap now instead of when it is garbage-collected. Calls that
         * are under way finish first; later calls still work (possibly slower).
         */
        default void release() {
        }
    }

    /** @param rows unit vectors, all of length {@code dimension} */
    PreparedMatrix prepare(float[][] rows, int dimension);

    /**
     * A matrix about to be multiplied many times in a row (fitting the classifier: twice per gradient step), whose
     * rows need not be unit vectors. Such a matrix repays a native kernel's set-up whatever its size, where
     * {@link #prepare} may keep small vocabularies on the portable kernel. Release it when done.
     */
    default PreparedMatrix prepareForRepeatedProducts(float[][] rows, int dimension) {
        return prepare(rows, dimension);
    }

    /**
     * Rows that every index of this kernel scores alike (the reference sentences of a model): prepared once per
     * {@code rows} array, which callers keep for the process, and shared by every caller that passes the same
     * array. Never release the result; it lives as long as the kernel.
     */
    default PreparedMatrix prepareShared(float[][] rows, int dimension) {
        return prepare(rows, dimension);
    }

    static SimilarityKernel portable() {
        return PortableSimilarityKernel.INSTANCE;
    }
}
