package io.opentrackers.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerHit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pairs `evaluate --mistakes` lists are exactly the false hits and missed pairs the scores count. */
class MistakesTest {

    private static final String CANCEL = "I want to cancel. What does it cost?";

    @Test
    void listsEachFalseHitWithItsBestPhraseAndWordsAndEachMissedLabel() {
        List<MessageText> messages = List.of(new MessageText("m1", CANCEL), new MessageText("m2", "Hello there"),
                new MessageText("m3", "Book a table"));
        Map<String, Set<String>> labels = Map.of("m1", Set.of("cancel", "price"), "m2", Set.of(),
                "m3", Set.of("restaurant"));
        List<TrackerHit> hits = List.of(
                new TrackerHit("m1", "cancel", "cancel", "cancel my plan", -1, 0.81, 0, 17),
                new TrackerHit("m2", "greeting", "greeting", "hi", -1, 0.74, 0, 5),
                new TrackerHit("m2", "greeting", "greeting", "hello", 0, 1.0, 0, 5),
                new TrackerHit("m3", "restaurant", "restaurant", "book a table", 0, 1.0, 0, 12));

        List<Mistakes.Mistake> mistakes = Mistakes.of(messages, labels, hits);

        assertThat(mistakes).containsExactly(
                new Mistakes.Mistake("missed", "m1", CANCEL, List.of("cancel", "price"), "price", null, null, null),
                new Mistakes.Mistake("false-hit", "m2", "Hello there", List.of(), "greeting", "hello", 1.0,
                        "Hello"));
        Scores scores = Scores.of(labels, hits);
        long falseHits = mistakes.stream().filter(m -> m.kind().equals("false-hit")).count();
        assertThat(scores.predictedPairs() - falseHits + mistakes.size() - falseHits).isEqualTo(scores.goldPairs());
    }
}
