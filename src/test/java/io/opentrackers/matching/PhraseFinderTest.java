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
        assertThat(find("superprice", "price")).isEmpty();
        assertThat(find("the price", "the prices tag")).isEmpty();
    }

    @Test
    void otherFormsOfTheWordsCountAsTheLiteralPhrase() {
        String text = "Hi, I am cancelling my subscriptions today.";
        assertThat(find(text, "cancel my subscription")).containsExactly(new PhraseFinder.Occurrence(0, 9, 27));
        assertThat(text.substring(9, 9 + 27)).isEqualTo("cancelling my subscriptions");
        assertThat(find("what are the prices?", "the price")).containsExactly(new PhraseFinder.Occurrence(0, 9, 10));
        assertThat(find("She ordered two cards", "order two card")).containsExactly(
                new PhraseFinder.Occurrence(0, 4, 17));
    }

    @Test
    void wordFormsKeepTheFirstOccurrenceAndTheSeparators() {
        assertThat(find("I needed help. I need help now", "need help"))
                .containsExactly(new PhraseFinder.Occurrence(0, 2, 11));
        // separators between words still have to match: a hyphen is not a space, several spaces are one
        assertThat(find("a check-in desk", "check in")).isEmpty();
        assertThat(find("please  cancel   it", "cancel it")).containsExactly(new PhraseFinder.Occurrence(0, 8, 11));
        // a different word with a shared beginning is no form of it; a derived noun is
        assertThat(find("a cardinal", "card")).isEmpty();
        assertThat(find("the cancellation fee", "cancel")).containsExactly(new PhraseFinder.Occurrence(0, 4, 12));
    }

    @Test
    void handlesApostrophesAndPunctuationAround() {
        assertThat(find("Well, I don't have any money.", "I don't have any money"))
                .containsExactly(new PhraseFinder.Occurrence(0, 6, 22));
        assertThat(find("(don't)", "don't")).containsExactly(new PhraseFinder.Occurrence(0, 1, 5));
    }

    /**
     * Phones, word processors and transcription services type "can\u2019t" and "two\u2011factor", and a phrase may only
     * hold the keyboard's {@code '} and {@code -}: "I can\u2019t log in" did not contain the phrase "I can't log in",
     * so it was matched by meaning (offset -1) or not at all. The typographic characters count as the typed ones, in
     * the phrase's gaps as in the text's; the occurrence still points into the text as it was sent.
     */
    @Test
    void typographicApostrophesAndHyphensCountAsTheTypedOnes() {
        String text = "Sorry, I can\u2019t log in since the two\u2011factor change.";
        assertThat(find(text, "I can't log in", "two-factor change")).containsExactly(
                new PhraseFinder.Occurrence(0, 7, 14), new PhraseFinder.Occurrence(1, 32, 17));
        assertThat(text.substring(7, 21)).isEqualTo("I can\u2019t log in");
        assertThat(find("we\u2018ll be in touch", "We'll be in touch")).hasSize(1);
        assertThat(find("two\u2010factor", "two-factor")).hasSize(1);
        // still only what shows the same: a space is not an apostrophe, a dash between words is not a hyphen
        assertThat(find("I can t log in", "I can't log in")).isEmpty();
        assertThat(find("two\u2013factor", "two-factor")).isEmpty();
    }

    /**
     * Text pasted from web pages and chat apps carries characters that show as nothing (a zero-width space inside a
     * word, a soft hyphen, a word joiner) and no-break spaces between words: "I want to can\u200bcel my subscription"
     * reads "cancel my subscription" and did not contain it literally. Words and separators are compared as they
     * show; the occurrence still points into the text as it was sent.
     */
    @Test
    void charactersThatShowAsNothingNeitherCutWordsNorSeparateThem() {
        String text = "I want to can\u200bcel\u00a0my subscrip\u00adtion now";
        assertThat(find(text, "cancel my subscription")).containsExactly(new PhraseFinder.Occurrence(0, 10, 24));
        assertThat(text.substring(10, 34)).isEqualTo("can\u200bcel\u00a0my subscrip\u00adtion");
        assertThat(find("cancel \u200b my\u2060 plan", "cancel my plan")).containsExactly(
                new PhraseFinder.Occurrence(0, 0, 17));
        assertThat(find("cancel\u202fmy\u3000plan", "cancel my plan")).hasSize(1);
        // an occurrence starts and ends on what shows
        assertThat(find("\ufeff\u200bcancel\u200b.", "cancel")).containsExactly(new PhraseFinder.Occurrence(0, 2, 6));
        // but a zero-width character does not make one word two: "cancelmy" shows as one word
        assertThat(find("cancel\u200bmy plan", "cancel my plan")).isEmpty();
    }

    /** An e and a combining accent is é; Hindi words keep their vowel signs, so a word is never matched by a part. */
    @Test
    void wordsAreComparedComposedAndWithTheirMarks() {
        assertThat(find("un cafe\u0301 noir", "caf\u00e9 noir")).containsExactly(new PhraseFinder.Occurrence(0, 3, 10));
        assertThat(find("un caf\u00e9 noir", "cafe\u0301 noir")).containsExactly(new PhraseFinder.Occurrence(0, 3, 9));
        assertThat(find("\u0915\u0940\u092e\u0924\u0947\u0902 \u092c\u0922\u093c\u0940\u0902",
                "\u0915\u0940\u092e\u0924")).isEmpty();
        assertThat(find("\u0915\u0940\u092e\u0924 \u0915\u094d\u092f\u093e \u0939\u0948",
                "\u0915\u0940\u092e\u0924 \u0915\u094d\u092f\u093e")).containsExactly(
                new PhraseFinder.Occurrence(0, 0, 9));
    }
}
