package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the classifier decides, a sentence of several clauses is also decided clause by clause, so one sentence can
 * fire the tracker of each of its clauses (docs/matching.md, "Clauses"), with the bag-of-words model of
 * {@link TrackerMatcherTest} (cosine = word overlap).
 */
class ClauseDecisionTest {

    private static final MatchingPolicy CLASSIFIER = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0.0, 0.1,
            0.0, 0.1);
    private static final MatchingPolicy MAX = new MatchingPolicy(Aggregation.MAX, 0.5, 0.0, 0.1);

    private static final String CANCEL_AND_BUDGET = "We want to cancel the whole subscription, our budget is all gone.";

    private final BagOfWordsModel model = new BagOfWordsModel();

    private static TrackerDefinition cancellation(TrackerConditions conditions) {
        return new TrackerDefinition("cancel", "Cancellation", List.of("cancel the subscription", "cancel my plan",
                "end the subscription", "stop the subscription", "please cancel it"), null, 1, conditions);
    }

    private static TrackerDefinition budget(TrackerConditions conditions) {
        return new TrackerDefinition("budget", "Budget", List.of("our budget is gone", "no budget left",
                "the budget is tight", "out of budget", "budget is spent"), null, 1, conditions);
    }

    private static final TrackerConditions NONE = new TrackerConditions("any", null, List.of());

    private VocabularyIndex index(TrackerDefinition... trackers) {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            embedded.add(VocabularyIndex.EmbeddedTracker.split(tracker, model.embed(tracker.embeddedPhrases())));
        }
        return new VocabularyIndex(embedded);
    }

    private List<String> firing(MatchingPolicy policy, VocabularyIndex index, String text) {
        return new TrackerMatcher(model, policy).match(index, List.of(new MessageText("m0", text))).stream()
                .map(TrackerHit::trackerId).distinct().sorted().toList();
    }

    @Test
    void aSentenceAboutTwoThingsFiresTheTrackerOfEachClause() {
        VocabularyIndex index = index(cancellation(NONE), budget(NONE));
        // read whole, the sentence is given to one tracker only (one tracker per span) ...
        assertThat(firing(MAX, index, CANCEL_AND_BUDGET)).hasSize(1);
        // ... read clause by clause, each clause fires its own
        assertThat(firing(CLASSIFIER, index, CANCEL_AND_BUDGET)).containsExactly("budget", "cancel");

        List<TrackerHit> hits = new TrackerMatcher(model, CLASSIFIER).match(index,
                List.of(new MessageText("m0", CANCEL_AND_BUDGET)));
        // each hit names the clause it was said in (no phrase occurs literally)
        int clause = CANCEL_AND_BUDGET.indexOf("our budget");
        assertThat(hits).extracting(TrackerHit::trackerId, TrackerHit::phrase, TrackerHit::offset, TrackerHit::start,
                TrackerHit::end).contains(
                tuple("cancel", "cancel the subscription", -1, 0, CANCEL_AND_BUDGET.indexOf(',') + 1),
                tuple("budget", "our budget is gone", -1, clause, CANCEL_AND_BUDGET.length()));
    }

    @Test
    void aSentenceReadClauseByClauseCostsOneRunPerClauseAndNoneForItsContext() {
        VocabularyIndex index = index(cancellation(NONE), budget(NONE));
        int before = model.embedded();
        new TrackerMatcher(model, CLASSIFIER).match(index, List.of(new MessageText("m0", CANCEL_AND_BUDGET)));
        // the sentence (12 words, but read in its clauses rather than in word windows) and its two clauses; the
        // sentence is its own whole-message context (no fourth run)
        assertThat(model.embedded() - before).isEqualTo(3);
    }

    @Test
    void aClauseOfASentenceThatATrackerExcludesCannotFireIt() {
        // Budget excludes talk of cancelling: the sentence holds "cancel the whole subscription", so neither the
        // sentence nor any of its clauses may fire Budget, although the clause "our budget is all gone" says nothing
        // of cancelling
        VocabularyIndex index = index(cancellation(NONE),
                budget(new TrackerConditions("any", null, List.of("cancel the whole subscription"))));
        assertThat(firing(CLASSIFIER, index, CANCEL_AND_BUDGET)).containsExactly("cancel");
        assertThat(firing(CLASSIFIER, index, "Our budget is all gone, we need to talk about it."))
                .containsExactly("budget");
    }
}
