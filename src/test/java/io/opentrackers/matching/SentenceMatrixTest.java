package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SentenceMatrixTest {

    @Test
    void productsAndRowsAreThoseOfTheVectorsGiven() {
        Random random = new Random(7);
        float[][] rows = new float[3 * SentenceMatrix.BLOCK + 5][24]; // a last block that is not full
        for (float[] row : rows) {
            for (int d = 0; d < row.length; d++) {
                row[d] = (float) random.nextGaussian();
            }
        }
        float[] query = rows[17].clone();
        SentenceMatrix matrix = SentenceMatrix.of(rows);
        float[] products = new float[rows.length];
        matrix.products(query, products);

        assertThat(matrix.size()).isEqualTo(rows.length);
        for (int i = 0; i < rows.length; i++) {
            assertThat(matrix.row(i)).containsExactly(rows[i]);
            assertThat(products[i]).isCloseTo(Vectors.dot(rows[i], query), within(1e-4f));
        }
        assertThat(SentenceMatrix.of(new float[0][]).size()).isZero();
    }

    /** The picker's pre-selection: the largest products with the centre among the sentences not excluded. */
    @Test
    void theShortlistHoldsTheLargestProductsOfTheSentencesNotExcluded() {
        Random random = new Random(11);
        float[][] rows = new float[5000][16];
        for (float[] row : rows) {
            for (int d = 0; d < row.length; d++) {
                row[d] = (float) random.nextGaussian();
            }
        }
        float[] centre = rows[3].clone();
        java.util.BitSet excluded = new java.util.BitSet();
        for (int i = 0; i < rows.length; i += 3) {
            excluded.set(i);
        }
        SentenceMatrix matrix = SentenceMatrix.of(rows);
        float[] products = new float[rows.length];
        matrix.products(centre, products);
        int[] expected = java.util.stream.IntStream.range(0, rows.length).filter(i -> !excluded.get(i)).boxed()
                .sorted((a, b) -> Float.compare(products[b], products[a])).limit(700)
                .mapToInt(Integer::intValue).sorted().toArray();

        assertThat(SuggestionPicker.shortlist(matrix, excluded, centre, 700)).containsExactly(expected);
        int[] all = SuggestionPicker.shortlist(matrix, excluded, centre, 4000);
        assertThat(all).hasSize(rows.length - 1667);
        assertThat(java.util.Arrays.stream(all).noneMatch(excluded::get)).isTrue();
    }
}
