package io.opentrackers.teaching;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.matching.BagOfWordsModel;
import io.opentrackers.matching.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quality requests embed the same example windows again and again: each text reaches the model once. */
class RememberedVectorsTest {

    private final BagOfWordsModel bagOfWords = new BagOfWordsModel();
    private final List<String> seen = new ArrayList<>();
    private final EmbeddingModel counting = new EmbeddingModel() {
        @Override
        public float[][] embed(List<String> texts) {
            seen.addAll(texts);
            return bagOfWords.embed(texts);
        }

        @Override
        public String id() {
            return bagOfWords.id();
        }

        @Override
        public int dimension() {
            return bagOfWords.dimension();
        }
    };

    @Test
    void aTextIsEmbeddedOnceAcrossCallsAndGetsTheModelsVector() {
        RememberedVectors remembered = new RememberedVectors(counting, 100);

        float[][] first = remembered.embed(List.of("cancel my plan", "the price"));
        float[][] second = remembered.embed(List.of("the price", "any discount", "cancel my plan"));

        assertThat(seen).containsExactly("cancel my plan", "the price", "any discount");
        assertThat(second[0]).isEqualTo(first[1]);
        assertThat(second[2]).isEqualTo(first[0]);
        assertThat(second[1]).isEqualTo(bagOfWords.embed(List.of("any discount"))[0]);
        assertThat(remembered.id()).isEqualTo(bagOfWords.id());
    }
}
