package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentrackers.matching.SimilarityKernel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnnxSimilarityKernelTest {

    private static final int DIMENSION = 384;

    private static float[][] unitVectors(Random random, int count) {
        float[][] vectors = new float[count][DIMENSION];
        for (float[] vector : vectors) {
            double norm = 0;
            for (int d = 0; d < DIMENSION; d++) {
                vector[d] = (float) random.nextGaussian();
                norm += vector[d] * vector[d];
            }
            for (int d = 0; d < DIMENSION; d++) {
                vector[d] /= (float) Math.sqrt(norm);
            }
        }
        return vectors;
    }

    private static float[][] multiply(SimilarityKernel.PreparedMatrix matrix, float[][] spans, int rows) {
        float[][] out = new float[spans.length][rows];
        matrix.multiply(spans, out);
        return out;
    }

    private static void assertSame(float[][] actual, float[][] expected) {
        for (int s = 0; s < expected.length; s++) {
            for (int r = 0; r < expected[s].length; r++) {
                assertThat(actual[s][r]).as("span %d, row %d", s, r).isCloseTo(expected[s][r], within(1e-4f));
            }
        }
    }

    @Test
    void nativeProductEqualsThePortableOneForSingleSpansAndBlocks() {
        Random random = new Random(7);
        float[][] rows = unitVectors(random, 3001);
        SimilarityKernel.PreparedMatrix portable = SimilarityKernel.portable().prepare(rows, DIMENSION);
        SimilarityKernel.PreparedMatrix accelerated = new OnnxSimilarityKernel(1).prepare(rows, DIMENSION);
        for (int spanCount : new int[] {1, 3, 32}) {
            float[][] spans = unitVectors(random, spanCount);
            assertSame(multiply(accelerated, spans, rows.length), multiply(portable, spans, rows.length));
        }
        // a span compared with a row it equals scores 1: rows are where the index expects them
        float[][] same = multiply(accelerated, new float[][] {rows[1234]}, rows.length);
        assertThat(same[0][1234]).isCloseTo(1f, within(1e-4f));
    }

    @Test
    void aReleasedMatrixStillAnswersCorrectly() {
        Random random = new Random(11);
        float[][] rows = unitVectors(random, 2000);
        float[][] spans = unitVectors(random, 5);
        SimilarityKernel.PreparedMatrix accelerated = new OnnxSimilarityKernel(1).prepare(rows, DIMENSION);
        float[][] before = multiply(accelerated, spans, rows.length);

        accelerated.release();
        accelerated.release();

        assertSame(multiply(accelerated, spans, rows.length), before);
    }

    @Test
    void smallVocabulariesStayOnThePortableKernelAndGiveTheSameScores() {
        Random random = new Random(3);
        float[][] rows = unitVectors(random, 50);
        float[][] spans = unitVectors(random, 2);
        SimilarityKernel.PreparedMatrix small = new OnnxSimilarityKernel(1024).prepare(rows, DIMENSION);
        assertThat(small.getClass().getName()).doesNotContain("Onnx");
        assertSame(multiply(small, spans, rows.length),
                multiply(SimilarityKernel.portable().prepare(rows, DIMENSION), spans, rows.length));
    }

    @Test
    void theServiceDefaultScoresEvenASmallVocabularyNatively() {
        Random random = new Random(4);
        float[][] rows = unitVectors(random, 6); // one tracker of five phrases and its centroid
        float[][] spans = unitVectors(random, 3);
        SimilarityKernel.PreparedMatrix small = OnnxSimilarityKernel.serviceDefault().prepare(rows, DIMENSION);
        assertThat(small.getClass().getName()).contains("Onnx");
        assertSame(multiply(small, spans, rows.length),
                multiply(SimilarityKernel.portable().prepare(rows, DIMENSION), spans, rows.length));
        small.release();
    }

    @Test
    void rowsEveryIndexScoresArePreparedOncePerKernel() {
        Random random = new Random(5);
        float[][] reference = unitVectors(random, 40);
        float[][] other = unitVectors(random, 40);
        OnnxSimilarityKernel kernel = new OnnxSimilarityKernel(1);
        SimilarityKernel.PreparedMatrix shared = kernel.prepareShared(reference, DIMENSION);
        assertThat(kernel.prepareShared(reference, DIMENSION)).isSameAs(shared);
        assertThat(kernel.prepareShared(other, DIMENSION)).isNotSameAs(shared);
        assertThat(new OnnxSimilarityKernel(1).prepareShared(reference, DIMENSION)).isNotSameAs(shared);
        assertThat(SimilarityKernel.portable().prepareShared(reference, DIMENSION))
                .isSameAs(SimilarityKernel.portable().prepareShared(reference, DIMENSION));
        float[][] spans = unitVectors(random, 2);
        assertSame(multiply(shared, spans, reference.length),
                multiply(SimilarityKernel.portable().prepare(reference, DIMENSION), spans, reference.length));
    }
}
