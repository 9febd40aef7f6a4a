package io.opentrackers.matching;

/**
 * The plain-Java kernel. Rows are stored in chunks of {@value #CHUNK}, dimension-major, so that scoring a block
 * of spans against a chunk is a series of {@code acc[j] += span[d] * chunk[d][j]} loops that the JIT vectorises,
 * and the chunk (about 200 KB) stays in cache while every span of the block uses it; row-major dot products over
 * 25,000 phrases were memory-bound.
 */
final class PortableSimilarityKernel implements SimilarityKernel {

    static final PortableSimilarityKernel INSTANCE = new PortableSimilarityKernel();
    static final int CHUNK = 128;

    private final SharedMatrices shared = new SharedMatrices();

    private PortableSimilarityKernel() {
    }

    @Override
    public PreparedMatrix prepareShared(float[][] rows, int dimension) {
        return shared.of(rows, r -> prepare(r, dimension));
    }

    @Override
    public PreparedMatrix prepare(float[][] rows, int dimension) {
        float[][] chunks = new float[(rows.length + CHUNK - 1) / CHUNK][];
        for (int c = 0; c < chunks.length; c++) {
            float[] chunk = new float[dimension * CHUNK];
            for (int j = 0; j < CHUNK && c * CHUNK + j < rows.length; j++) {
                float[] v = rows[c * CHUNK + j];
                for (int d = 0; d < dimension; d++) {
                    chunk[d * CHUNK + j] = v[d];
                }
            }
            chunks[c] = chunk;
        }
        return new Chunked(chunks, rows.length, dimension);
    }

    private record Chunked(float[][] chunks, int rows, int dimension) implements PreparedMatrix {

        @Override
        public void multiply(float[][] spans, float[][] out) {
            float[] acc = new float[CHUNK];
            for (int c = 0; c < chunks.length; c++) {
                float[] chunk = chunks[c];
                int base = c * CHUNK;
                int width = Math.min(CHUNK, rows - base);
                for (int s = 0; s < spans.length; s++) {
                    float[] v = spans[s];
                    java.util.Arrays.fill(acc, 0);
                    for (int d = 0; d < dimension; d++) {
                        float x = v[d];
                        int off = d * CHUNK;
                        for (int j = 0; j < CHUNK; j++) {
                            acc[j] += x * chunk[off + j];
                        }
                    }
                    System.arraycopy(acc, 0, out[s], base, width);
                }
            }
        }
    }
}
