package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.conversation.SentenceSplitter.Sentence;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    @Test
    void splitsIntoSentencesWithTheirPositionsInTheContent() {
        String content = "  Hello there. How much does it cost?  We have no budget! ";
        List<Sentence> sentences = SentenceSplitter.split(content);
        assertThat(sentences).extracting(Sentence::text)
                .containsExactly("Hello there.", "How much does it cost?", "We have no budget!");
        for (Sentence sentence : sentences) {
            assertThat(content.substring(sentence.start(), sentence.end())).isEqualTo(sentence.text());
        }
    }

    @Test
    void aSingleSentenceStaysWholeAndBlankContentGivesNothing() {
        assertThat(SentenceSplitter.split("just one thought without a full stop"))
                .containsExactly(new Sentence("just one thought without a full stop", 0, 36));
        assertThat(SentenceSplitter.split("   ")).isEmpty();
    }

    @Test
    void aRunOnLineIsCutAtSpacesBelowTheMaximumLength() {
        String content = "word ".repeat(500).trim();
        List<Sentence> sentences = SentenceSplitter.split(content);
        assertThat(sentences).hasSizeGreaterThan(2)
                .allSatisfy(s -> assertThat(s.text().length()).isLessThanOrEqualTo(SentenceSplitter.MAX_SENTENCE))
                .allSatisfy(s -> assertThat(s.text()).doesNotStartWith(" ").doesNotEndWith(" "));
        assertThat(String.join(" ", sentences.stream().map(Sentence::text).toList())).isEqualTo(content);
    }
}
