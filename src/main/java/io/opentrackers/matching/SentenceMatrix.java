package io.opentrackers.matching;

import java.util.stream.IntStream;

/**
 * Many sentence vectors (an account's stored sentences) laid out for one product of each with a query vector, the
 * pass {@link SuggestionPicker} makes over all of them on every request. Blocks of {@value #BLOCK} vectors are stored
 * dimension-major, so the pass is a series of {@code acc[j] += q[d] * block[d][j]} loops that the JIT vectorises
 * (row-by-row dot products are sums it cannot reorder), and the blocks are split over the processors. Holds the
 * vectors once: a row is copied out when needed. Immutable and thread-safe.
 */
public final class SentenceMatrix {

    static final int BLOCK = 128;

    private final float[][] blocks;
    private final int size;
    private final int dimension;

    private SentenceMatrix(float[][] blocks, int size, int dimension) {
        this.blocks = blocks;
        this.size = size;
        this.dimension = dimension;
    }

    /** The vectors (all of one dimension), in order. */
    public static SentenceMatrix of(float[][] rows) {
        int dimension = rows.length == 0 ? 0 : rows[0].length;
        float[][] blocks = new float[(rows.length + BLOCK - 1) / BLOCK][];
        for (int b = 0; b < blocks.length; b++) {
            float[] block = new float[dimension * BLOCK];
            for (int j = 0; j < BLOCK && b * BLOCK + j < rows.length; j++) {
                float[] v = rows[b * BLOCK + j];
                for (int d = 0; d < dimension; d++) {
                    block[d * BLOCK + j] = v[d];
                }
            }
            blocks[b] = block;
        }
        return new SentenceMatrix(blocks, rows.length, dimension);
    }

    public int size() {
        return size;
    }

    /** A copy of the i-th vector. */
    public float[] row(int i) {
        float[] block = blocks[i / BLOCK];
        int j = i % BLOCK;
        float[] row = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            row[d] = block[d * BLOCK + j];
        }
        return row;
    }

    /** {@code out[i]} = product of the i-th vector with {@code query}, for every vector. */
    void products(float[] query, float[] out) {
        IntStream.range(0, blocks.length).parallel().forEach(b -> {
            float[] block = blocks[b];
            float[] acc = new float[BLOCK];
            for (int d = 0; d < dimension; d++) {
                float x = query[d];
                int off = d * BLOCK;
                for (int j = 0; j < BLOCK; j++) {
                    acc[j] += x * block[off + j];
                }
            }
            System.arraycopy(acc, 0, out, b * BLOCK, Math.min(BLOCK, size - b * BLOCK));
        });
    }
}
