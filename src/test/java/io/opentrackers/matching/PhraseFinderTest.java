package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhraseFinderTest {

    private static List<PhraseFinder.Occurrence> find(String text, String... phrases) {
        List<PhraseFinder.Phrase> list = new java.util.ArrayList<>();
        for (int i = 0; i < phrases.length; i++) {
            list.add(new PhraseFinder.Phrase(phrases[i], i));
        }
        return new PhraseFinder(list).find(text);
    }

    @Test
    void findsCaseInsensitivelyAtTheFirstOccurrence() {
        assertThat(find("Is the PRICE right? what is the price", "what is the price", "the price"))
                .containsExactly(new PhraseFinder.Occurrence(1, 3, 9), new PhraseFinder.Occurrence(0, 20, 17));
    }

    @Test
    void matchesWholeWordsOnly() {
        assertThat(find("Let's restart the cart", "art", "star", "cart")).containsExactly(
                new PhraseFinder.Occurrence(2, 18, 4));
        assertThat(find("pricing", "price")).isEmpty();
        assertThat(find("the prices", "the price")).isEmpty();
    }

    @Test
    void handlesApostrophesAndPunctuationAround() {
        assertThat(find("Well, I don't have any money.", "I don't have any money"))
                .containsExactly(new PhraseFinder.Occurrence(0, 6, 22));
        assertThat(find("(don't)", "don't")).containsExactly(new PhraseFinder.Occurrence(0, 1, 5));
    }
}
