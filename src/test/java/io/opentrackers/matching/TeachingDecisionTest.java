package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decision with examples, the cross-validated estimate and the suggestion choice, with a bag-of-words model where
 * cosine = shared words / sqrt(words(a) × words(b)) ("pay my bill" vs "pay my bill today" = 3 / sqrt(12) = 0.866).
 */
class TeachingDecisionTest {

    private static final MatchingPolicy MAX = new MatchingPolicy(Aggregation.MAX, 0.5, 0.0, 0.1);
    private final BagOfWordsModel model = new BagOfWordsModel();

    private VocabularyIndex index(List<TrackerDefinition> trackers) {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition t : trackers) {
            float[][] examples = t.examples().isEmpty() ? new float[0][]
                    : model.embed(t.examples().stream().map(LabelledExample::text).toList());
            embedded.add(new VocabularyIndex.EmbeddedTracker(t, model.embed(t.vocabulary()), null, examples));
        }
        return new VocabularyIndex(embedded);
    }

    private List<String> firing(VocabularyIndex index, MatchingPolicy policy, String... texts) {
        List<MessageText> messages = new ArrayList<>();
        for (String text : texts) {
            messages.add(new MessageText(text, text));
        }
        return TrackerMatcher.match(index, new TrackerMatcher(model, policy).embed(messages), policy).stream()
                .map(h -> h.messageId() + "->" + h.trackerId()).distinct().toList();
    }

    private static TrackerDefinition billing(LabelledExample... examples) {
        return new TrackerDefinition("billing", "Billing", List.of("pay my bill"), null, 1).withExamples(List.of(examples));
    }

    @Test
    void aPositiveExampleMakesItsNeighboursFireAndANegativeOneVetoesThem() {
        assertThat(firing(index(List.of(billing())), MAX, "settle the invoice please", "pay my bill later please"))
                .containsExactly("pay my bill later please->billing");

        VocabularyIndex taught = index(List.of(billing(new LabelledExample("settle the invoice", true),
                new LabelledExample("my bill later please", false))));
        // "settle the invoice please" is 0.866 from the positive; for "my bill later too" the negative (0.75) is
        // closer than the phrase "pay my bill" (0.577); a literal phrase always fires
        assertThat(firing(taught, MAX, "settle the invoice please", "my bill later too", "pay my bill later please"))
                .containsExactly("settle the invoice please->billing", "pay my bill later please->billing");
    }

    @Test
    void withTheClassifierANegativeNearASentenceStopsItAndPositivesMakeParaphrasesFire() {
        MatchingPolicy classifier = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0, 0.1, 0, 0.1);
        TrackerDefinition money = new TrackerDefinition("money", "Money", List.of("no money left", "short on cash"),
                null, 1);
        String[] texts = {"settle the invoice please", "my bill later too", "we have no money left"};
        assertThat(firing(index(List.of(billing(), money)), classifier, texts))
                .containsExactly("my bill later too->billing", "we have no money left->money");

        VocabularyIndex taught = index(List.of(billing(new LabelledExample("settle the invoice", true),
                new LabelledExample("my bill later", false)), money));
        // "settle the invoice please" is 0.866 from the positive; "my bill later too" is 0.866 from the negative
        // and 0.577 from the phrase "pay my bill"
        assertThat(firing(taught, classifier, texts))
                .containsExactly("settle the invoice please->billing", "we have no money left->money");
    }

    /**
     * One negative example as close as three positive ones is outvoted (3 of 4 equal weights say yes), where a
     * nearest-neighbour veto would have stopped the hit; alone, the same negative stops it.
     */
    @Test
    void aLoneNegativeAmongAsClosePositivesIsOutvoted() {
        String sentence = "settle the invoice today please"; // 0.894 from each 4-word example below
        VocabularyIndex outvoted = index(List.of(billing(new LabelledExample("settle the invoice please", true),
                new LabelledExample("the invoice today please", true),
                new LabelledExample("settle invoice today please", true),
                new LabelledExample("settle the invoice today", false))));
        assertThat(firing(outvoted, MAX, sentence)).containsExactly(sentence + "->billing");

        VocabularyIndex alone = index(List.of(billing(new LabelledExample("settle the invoice please", true),
                new LabelledExample("settle the invoice today", false))));
        assertThat(firing(alone, MAX, sentence)).isEmpty();
    }

    /**
     * The explanation reports the cosine the decision actually required: a unanimous vote lowers the threshold, so a
     * span that fired never shows a threshold above its score, and one voted out says why.
     */
    @Test
    void theExplanationOfATaughtTrackerShowsTheThresholdItsVoteApplied() {
        MatchingPolicy classifier = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0, 0.1, 0, 0.1);
        TrackerDefinition money = new TrackerDefinition("money", "Money", List.of("no money left", "short on cash"),
                null, 1);
        VocabularyIndex taught = index(List.of(billing(new LabelledExample("settle the invoice", true),
                new LabelledExample("my bill later", false)), money));
        List<MessageText> messages = List.of(new MessageText("a", "settle the invoice please"),
                new MessageText("b", "my bill later too"));
        // "settle the invoice please" is 0.866 from the positive, which alone votes: unanimous, so the 0.88 the
        // policy asks becomes 0.85 and it fires
        MatchingPolicy strict = new MatchingPolicy(Aggregation.CLASSIFIER, 0.88, 0, 0.1, 0, 0);
        Explanation.Candidate fired = candidate(new TrackerMatcher(model, strict).explain(taught, messages), "a",
                "billing");
        assertThat(fired.fired()).isTrue();
        assertThat(fired.score()).isLessThan(0.88);
        assertThat(fired.threshold()).isCloseTo(0.85, within(1e-6));

        Detection detection = new TrackerMatcher(model, classifier).explain(taught, messages);
        Explanation.Candidate outvoted = candidate(detection, "b", "billing");
        assertThat(outvoted.fired()).isFalse();
        assertThat(outvoted.reason()).isEqualTo(Explanation.NEGATIVE_EXAMPLE);
    }

    private static Explanation.Candidate candidate(Detection detection, String messageId, String trackerId) {
        return detection.explanations().stream().filter(e -> e.messageId().equals(messageId)).findFirst().orElseThrow()
                .candidates().stream().filter(c -> c.trackerId().equals(trackerId)).findFirst().orElseThrow();
    }

    @Test
    void aTrackerWithoutExamplesDecidesAsWithoutTeachingBesideATaughtOne() {
        TrackerDefinition money = new TrackerDefinition("money", "Money", List.of("no money left", "short on cash"),
                null, 1);
        String[] texts = {"pay the bill please", "we have no money", "cash is short", "short of money today"};
        assertThat(firing(index(List.of(billing(new LabelledExample("pay the bill please", false)), money)), MAX,
                texts))
                .containsExactlyElementsOf(firing(index(List.of(billing(), money)), MAX, texts).stream()
                        .filter(hit -> hit.endsWith("->money")).toList());
    }

    @Test
    void withoutExamplesTheDecisionIsTheVocabularyOne() {
        TrackerDefinition plain = new TrackerDefinition("billing", "Billing", List.of("pay my bill"), null, 1);
        MatchingPolicy classifier = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0, 0.1, 0, 0.1);
        List<TrackerDefinition> trackers = List.of(plain, new TrackerDefinition("money", "Money",
                List.of("no money left", "short on cash"), null, 1));
        VocabularyIndex index = index(trackers);
        assertThat(index.examples().isEmpty()).isTrue();
        String[] texts = {"pay the bill please", "we have no money", "cash is short", "the weather"};
        List<MessageText> messages = new ArrayList<>();
        for (String text : texts) {
            messages.add(new MessageText(text, text));
        }
        EmbeddedMessages embedded = new TrackerMatcher(model, classifier).embed(messages);
        assertThat(TrackerMatcher.match(index, embedded, classifier))
                .isEqualTo(TrackerMatcher.match(index, index.examples(), embedded, classifier))
                .isNotEmpty();
    }

    /**
     * Hand-computed, 5 folds (example i in fold i mod 5: {P1, N2}, {P2, N3}, {P3}, {P4}, {N1}): P1 "pay my bill
     * today" contains the phrase (literal, fires); P2 and P3 are in different folds and 0.866 from each other (each
     * fires with the other in); P4 "where is my parcel" is at most 0.289 from the phrase and any positive (misses);
     * N1, N3 share at most "the" with a positive (0.289, silent); N2 "pay my bill later" contains the phrase (fires).
     * So tp 3, fn 1, fp 1: precision 3/4, recall 3/4, F1 3/4.
     */
    @Test
    void crossValidationMatchesTheHandComputedCase() {
        VocabularyIndex index = index(List.of(billing(
                new LabelledExample("pay my bill today", true),
                new LabelledExample("settle the invoice", true),
                new LabelledExample("settle the invoice please", true),
                new LabelledExample("where is my parcel", true),
                new LabelledExample("the weather is nice", false),
                new LabelledExample("pay my bill later", false),
                new LabelledExample("see you soon", false))));

        QualityEstimate estimate = QualityEstimate.of(index, 0, MAX);

        assertThat(estimate.examples()).isEqualTo(7);
        assertThat(estimate.positives()).isEqualTo(4);
        assertThat(estimate.negatives()).isEqualTo(3);
        assertThat(estimate.precision()).isCloseTo(0.75, within(1e-9));
        assertThat(estimate.recall()).isCloseTo(0.75, within(1e-9));
        assertThat(estimate.f1()).isCloseTo(0.75, within(1e-9));
        assertThat(estimate.method()).isEqualTo("5-fold cross-validation");
    }

    @Test
    void tooFewExamplesGiveNoFigures() {
        VocabularyIndex index = index(List.of(billing(new LabelledExample("pay my bill today", true),
                new LabelledExample("settle the invoice", true), new LabelledExample("settle it", true),
                new LabelledExample("the weather is nice", false), new LabelledExample("see you soon", false))));
        QualityEstimate estimate = QualityEstimate.of(index, 0, MAX);
        assertThat(estimate.positives()).isEqualTo(3);
        assertThat(estimate.negatives()).isEqualTo(2);
        assertThat(estimate.precision()).isNull();
        assertThat(estimate.recall()).isNull();
        assertThat(estimate.f1()).isNull();
    }

    @Test
    void suggestionsAlternateSidesAndSkipDuplicatesOfEachOtherAndOfExamples() {
        VocabularyIndex index = index(List.of(billing(new LabelledExample("settle the invoice", true))));
        List<String> texts = List.of("pay my bill now", "Pay my bill now!", "settle the invoice", "my bill is late",
                "pay the rent", "the weather is nice", "bill");
        List<MessageText> candidates = new ArrayList<>();
        texts.forEach(t -> candidates.add(new MessageText(t, t)));
        float[][] vectors = model.embed(texts);
        float[][] references = model.embed(List.of("pay my bill", "settle the invoice"));
        float[][] labelled = model.embed(List.of("settle the invoice"));

        List<SuggestionPicker.Suggestion> picked = SuggestionPicker.pick(index, 0, MAX, candidates, vectors,
                references, labelled, 5);

        List<String> chosen = picked.stream().map(s -> texts.get(s.candidate())).toList();
        assertThat(chosen).doesNotContain("settle the invoice").hasSize(5);
        assertThat(chosen.stream().filter(t -> t.equalsIgnoreCase("pay my bill now") || t.equals("Pay my bill now!")))
                .hasSize(1);
        // nearest the threshold (0.5) first, firing and silent in turn: "my bill is late" (0.577, fires), "pay the
        // rent" (0.333, silent), "bill" (0.577, fires) ...
        assertThat(picked.get(0).fired()).isTrue();
        assertThat(picked.get(1).fired()).isFalse();
        assertThat(picked.get(2).fired()).isTrue();
        assertThat(picked.get(0).score()).isCloseTo(1 / Math.sqrt(3), within(1e-6));
    }
}
