package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.BagOfWordsModel;
import io.opentrackers.matching.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Quality requests embed the same example windows again and again: each text reaches the model once per account.
 */
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

    private final AccountId account = new AccountId(UUID.randomUUID());

    @Test
    void aTextIsEmbeddedOnceAcrossCallsAndGetsTheModelsVector() {
        RememberedVectors remembered = new RememberedVectors(counting, 1 << 20, Runnable::run);

        float[][] first = remembered.of(account).embed(List.of("cancel my plan", "the price"));
        float[][] second = remembered.of(account).embed(List.of("the price", "any discount", "cancel my plan"));

        assertThat(seen).containsExactly("cancel my plan", "the price", "any discount");
        assertThat(second[0]).isEqualTo(first[1]);
        assertThat(second[2]).isEqualTo(first[0]);
        assertThat(second[1]).isEqualTo(bagOfWords.embed(List.of("any discount"))[0]);
        assertThat(remembered.of(account).id()).isEqualTo(bagOfWords.id());
    }

    /**
     * The memory is bounded in bytes, texts included: a whole message of a megabyte is not kept at the cost of a
     * thousand short sentences, and one larger than the whole budget is not kept at all.
     */
    @Test
    void theBudgetCountsTheTextsAndATextLargerThanItIsNotKept() {
        float[] vector = bagOfWords.embed(List.of("thank you"))[0];
        RememberedVectors remembered = new RememberedVectors(counting,
                3L * RememberedVectors.bytes("thank you", vector), Runnable::run);
        String huge = "thank you ".repeat(100_000);

        remembered.of(account).embed(List.of("thank you", huge));
        remembered.of(account).embed(List.of("thank you", huge));

        assertThat(seen).containsExactly("thank you", huge, huge);
        assertThat(RememberedVectors.bytes(huge, vector)).isGreaterThan(2 * huge.length());
    }

    /**
     * Were it remembered for every account, a quick answer would tell one account that another's examples hold a
     * text.
     */
    @Test
    void aTextAnotherAccountEmbeddedIsEmbeddedAgain() {
        RememberedVectors remembered = new RememberedVectors(counting, 1 << 20, Runnable::run);
        AccountId other = new AccountId(UUID.randomUUID());

        float[][] mine = remembered.of(account).embed(List.of("cancel my plan"));
        float[][] theirs = remembered.of(other).embed(List.of("cancel my plan"));
        remembered.of(account).embed(List.of("cancel my plan"));

        assertThat(seen).containsExactly("cancel my plan", "cancel my plan");
        assertThat(theirs[0]).isEqualTo(mine[0]);
    }
}
