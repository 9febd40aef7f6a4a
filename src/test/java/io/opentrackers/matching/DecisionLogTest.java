package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which candidates an explanation lists for a message. */
class DecisionLogTest {

    private final BagOfWordsModel model = new BagOfWordsModel();

    private VocabularyIndex index(String... ids) {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (String id : ids) {
            TrackerDefinition tracker = new TrackerDefinition(id, id + "-name", List.of(id + " phrase"), null, 1,
                    TrackerConditions.NONE);
            embedded.add(VocabularyIndex.EmbeddedTracker.split(tracker, model.embed(tracker.embeddedPhrases())));
        }
        return new VocabularyIndex(embedded);
    }

    private static List<String> listed(DecisionLog log) {
        return log.explanations().get(0).candidates().stream().map(Explanation.Candidate::trackerId).toList();
    }

    /**
     * Seen on a help-desk call ("Sounds good. Thursday works."): three trackers scored above their thresholds and were
     * "not-chosen" because the classifier gave the words to Next Steps, which scored lower, did not fire, and was not
     * listed, so the user could not see why nothing fired. The tracker named as chosenInstead is listed too, in score
     * order, and so is the one it names in turn.
     */
    @Test
    void theTrackerNamedAsChosenInsteadIsListedWithItsOwnScoreAndReason() {
        VocabularyIndex index = index("start", "remote", "offer", "next", "other", "unrelated");
        float[] sims = new float[index.rows()];
        DecisionLog log = new DecisionLog(index);
        log.startMessage();
        log.span(0, sims, 0.75f, 0.70, false, Explanation.NOT_CHOSEN, 3, null, null);
        log.span(1, sims, 0.74f, 0.67, false, Explanation.NOT_CHOSEN, 3, null, null);
        log.span(2, sims, 0.72f, 0.70, false, Explanation.NOT_CHOSEN, 3, null, null);
        log.span(3, sims, 0.66f, 0.60, false, Explanation.NOT_CHOSEN, 4, null, null); // its best span went elsewhere
        log.span(4, sims, 0.50f, 0.70, false, Explanation.BELOW_THRESHOLD, -1, null, null);
        log.span(5, sims, 0.65f, 0.70, false, Explanation.BELOW_THRESHOLD, -1, null, null);
        log.finishMessage("m0");

        assertThat(listed(log)).containsExactly("start", "remote", "offer", "next", "other");
    }

    @Test
    void withoutChosenInsteadTheThreeBestAndEveryHitAreListed() {
        VocabularyIndex index = index("a", "b", "c", "d", "e");
        float[] sims = new float[index.rows()];
        DecisionLog log = new DecisionLog(index);
        log.startMessage();
        log.span(0, sims, 0.80f, 0.70, false, Explanation.BELOW_THRESHOLD, -1, null, null);
        log.span(1, sims, 0.79f, 0.70, false, Explanation.BELOW_THRESHOLD, -1, null, null);
        log.span(2, sims, 0.78f, 0.70, false, Explanation.BELOW_THRESHOLD, -1, null, null);
        log.span(3, sims, 0.60f, 0.70, false, Explanation.BELOW_THRESHOLD, -1, null, null);
        log.span(4, sims, 0.72f, 0.70, true, Explanation.ABOVE_THRESHOLD, -1, null, null);
        log.finishMessage("m0");

        assertThat(listed(log)).containsExactly("a", "b", "c", "e");
    }
}
