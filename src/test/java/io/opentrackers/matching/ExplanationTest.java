package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationTest {

    private static Explanation.Candidate candidate(String tracker, double score, boolean fired, String reason) {
        return new Explanation.Candidate(tracker, tracker, "a phrase", score, 0.65, fired, reason, null, null);
    }

    @Test
    void aMessageIsExplainedByTheSentenceEachTrackerFiredOnElseItsBestScoringOne() {
        Explanation first = new Explanation("s1", List.of(
                candidate("Budget", 0.80, false, Explanation.NOT_CHOSEN),
                candidate("Pricing", 0.70, true, Explanation.ABOVE_THRESHOLD),
                candidate("Greeting", 0.40, false, Explanation.BELOW_THRESHOLD)));
        Explanation second = new Explanation("s2", List.of(
                candidate("Budget", 0.72, true, Explanation.ABOVE_THRESHOLD),
                candidate("Pricing", 1.0, true, Explanation.LITERAL),
                candidate("Greeting", 0.55, false, Explanation.BELOW_THRESHOLD),
                candidate("Closing", 0.50, false, Explanation.BELOW_THRESHOLD)));

        Explanation message = Explanation.ofSentences("m1", List.of(first, second));

        assertThat(message.messageId()).isEqualTo("m1");
        // fired beats a higher score that did not fire; a literal occurrence beats a meaning hit; listed by score
        assertThat(message.candidates()).extracting(c -> c.name() + " " + c.score() + " " + c.reason())
                .containsExactly("Pricing 1.0 literal", "Budget 0.72 above-threshold",
                        "Greeting 0.55 below-threshold");
    }

    @Test
    void everyTrackerThatFiredIsListedBeyondTheThreeBest() {
        Explanation first = new Explanation("s1", List.of(
                candidate("A", 0.90, false, Explanation.BELOW_THRESHOLD),
                candidate("B", 0.89, false, Explanation.BELOW_THRESHOLD),
                candidate("C", 0.88, false, Explanation.BELOW_THRESHOLD)));
        Explanation second = new Explanation("s2", List.of(candidate("D", 0.60, true, Explanation.ABOVE_THRESHOLD)));

        assertThat(Explanation.ofSentences("m1", List.of(first, second)).candidates())
                .extracting(Explanation.Candidate::name).containsExactly("A", "B", "C", "D");
    }
}
