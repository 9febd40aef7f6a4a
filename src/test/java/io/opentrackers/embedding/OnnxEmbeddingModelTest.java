package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real (smallest) model from its jar: unit vectors, input order kept through length sorting and batching. */
class OnnxEmbeddingModelTest {

    @TempDir
    static Path workDir;
    static OnnxEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = new OnnxEmbeddingModel(ModelSpec.ALL_MINILM_L6_V2_Q, workDir, 2, true);
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    void givesOneUnitVectorPerTextInInputOrder() {
        List<String> texts = List.of("A rather long sentence about the weather being nice and sunny today",
                "money", "I don't have any money", "The weather is nice today", "budget");
        float[][] together = model.embed(texts);
        assertThat(model.dimension()).isEqualTo(384);
        assertThat(together.length).isEqualTo(5);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(together[i]).hasSize(384);
            assertThat(cosine(together[i], together[i])).isCloseTo(1.0, within(1e-4));
            // int8 vectors move slightly with their batch neighbours, never more than this
            assertThat(cosine(together[i], model.embed(List.of(texts.get(i)))[0])).isGreaterThan(0.98);
        }
        assertThat(cosine(together[2], together[1])).isGreaterThan(cosine(together[2], together[3]) + 0.2);
        assertThat(cosine(together[3], together[0])).isGreaterThan(0.6);
    }

    @Test
    void e5EmbedsWithItsQueryPrefixSoParaphrasesScoreAboveUnrelatedText() throws Exception {
        try (OnnxEmbeddingModel e5 = new OnnxEmbeddingModel(ModelSpec.byId("e5-small-v2-q"), workDir, 8, true)) {
            float[][] vectors = e5.embed(List.of("I ran out of budget", "I don't have any money",
                    "The weather is nice today"));
            assertThat(cosine(vectors[0], vectors[0])).isCloseTo(1.0, within(1e-4));
            // the floor calibrated for e5 (MatchingPolicy) sits between these two
            assertThat(cosine(vectors[0], vectors[1])).isGreaterThan(0.84);
            assertThat(cosine(vectors[0], vectors[2])).isLessThan(0.84);
        }
    }

    @Test
    void unknownModelIdsAreRefusedNamingTheProperty() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelSpec.byId("gpt-9"))
                .hasMessageContaining("trackers.embedding.model").hasMessageContaining("bge-small-en-v15-q");
    }

    @Test
    void twoSentencesOfDifferentLengthShareOneRunButALongTextRunsApart() {
        // a second pass over the weights costs more than padding 8 tokens to 14
        assertThat(OnnxEmbeddingModel.cheapestRuns(new int[] {8, 14}, 32)).containsExactly(2);
        // four short texts must not each be padded to 60 tokens
        assertThat(OnnxEmbeddingModel.cheapestRuns(new int[] {6, 6, 6, 6, 60}, 32)).containsExactly(4, 5);
        assertThat(maxRunSize(OnnxEmbeddingModel.cheapestRuns(new int[] {9, 9, 9, 9, 9}, 2))).isEqualTo(2);
        assertThat(OnnxEmbeddingModel.cheapestRuns(new int[0], 32)).isEmpty();
    }

    @Test
    void runsCostNoMoreThanAnyOtherSplitOfTheSortedTexts() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int[] lengths = random.ints(1 + random.nextInt(9), 2, 40).sorted().toArray();
            int maxRows = 1 + random.nextInt(5);
            long chosen = cost(lengths, OnnxEmbeddingModel.cheapestRuns(lengths, maxRows));
            // every split into consecutive runs: bit k set = a run ends after text k
            for (int cuts = 0; cuts < 1 << (lengths.length - 1); cuts++) {
                List<Integer> ends = new java.util.ArrayList<>();
                for (int k = 0; k < lengths.length - 1; k++) {
                    if ((cuts & 1 << k) != 0) {
                        ends.add(k + 1);
                    }
                }
                ends.add(lengths.length);
                int[] split = ends.stream().mapToInt(Integer::intValue).toArray();
                if (maxRunSize(split) <= maxRows) {
                    assertThat(chosen).as("lengths %s, max rows %d", java.util.Arrays.toString(lengths), maxRows)
                            .isLessThanOrEqualTo(cost(lengths, split));
                }
            }
        }
    }

    private static long cost(int[] sortedLengths, int[] runEnds) {
        long cost = 0;
        int start = 0;
        for (int end : runEnds) {
            cost += OnnxEmbeddingModel.RUN_COST_IN_TOKENS + (long) (end - start) * sortedLengths[end - 1];
            start = end;
        }
        return cost;
    }

    private static int maxRunSize(int[] runEnds) {
        int max = 0;
        int start = 0;
        for (int end : runEnds) {
            max = Math.max(max, end - start);
            start = end;
        }
        return max;
    }
}
