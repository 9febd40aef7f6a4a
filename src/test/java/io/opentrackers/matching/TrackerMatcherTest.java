package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentrackers.embedding.BagOfWordsModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine with a bag-of-words model, where cosine = shared words / sqrt(words(a) * words(b)): e.g.
 * "pay the bill please" vs "pay my bill" = 2 / sqrt(4 * 3) = 0.577.
 */
class TrackerMatcherTest {

    private final BagOfWordsModel model = new BagOfWordsModel();
    private static final MatchingPolicy POLICY = new MatchingPolicy(Aggregation.MAX, 0.55, 0.05, 0.1);

    private static TrackerDefinition tracker(String id, Double sensitivity, String... vocabulary) {
        return new TrackerDefinition(id, id + "-name", List.of(vocabulary), sensitivity, 1);
    }

    private List<TrackerHit> match(MatchingPolicy policy, List<TrackerDefinition> trackers, String... texts) {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            embedded.add(new VocabularyIndex.EmbeddedTracker(tracker, model.embed(tracker.vocabulary())));
        }
        List<MessageText> messages = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            messages.add(new MessageText("m" + i, texts[i]));
        }
        return new TrackerMatcher(model, policy).match(new VocabularyIndex(embedded), messages);
    }

    @Test
    void literalOccurrenceGivesItsOffsetAndFullScoreEvenAboveTheThreshold() {
        List<TrackerHit> hits = match(POLICY.withThreshold(0.99), List.of(tracker("billing", null, "pay my bill")),
                "Today I want to PAY MY BILL, now");
        assertThat(hits).containsExactly(
                new TrackerHit("m0", "billing", "billing-name", "pay my bill", 16, 1.0, 16, 27));
    }

    @Test
    void meaningHitHasNoOffsetButTheSimilarityAndTheSpan() {
        String text = "Hello there. Pay the bill please.";
        List<TrackerHit> hits = match(POLICY, List.of(tracker("billing", null, "pay my bill", "invoice is wrong")),
                text);
        assertThat(hits).hasSize(1);
        TrackerHit hit = hits.get(0);
        assertThat(hit.phrase()).isEqualTo("pay my bill");
        assertThat(hit.offset()).isEqualTo(-1);
        assertThat(hit.score()).isCloseTo(2 / Math.sqrt(12), within(1e-5));
        assertThat(text.substring(hit.start(), hit.end())).isEqualTo("Pay the bill please.");
    }

    @Test
    void thresholdKeepsWeakSimilarityOut() {
        assertThat(match(POLICY.withThreshold(0.6), List.of(tracker("billing", null, "pay my bill")),
                "Pay the bill please.")).isEmpty();
        assertThat(match(POLICY, List.of(tracker("billing", null, "pay my bill")),
                "The weather is nice today")).isEmpty();
    }

    @Test
    void higherSensitivityGivesMoreHits() {
        String text = "Pay the bill please.";
        // 0.577 similarity: default threshold 0.55 hits; sensitivity 0 raises it to 0.65, 1 lowers it to 0.45
        assertThat(match(POLICY, List.of(tracker("billing", 0.0, "pay my bill")), text)).isEmpty();
        assertThat(match(POLICY, List.of(tracker("billing", 0.5, "pay my bill")), text)).hasSize(1);
        assertThat(match(POLICY.withThreshold(0.62), List.of(tracker("billing", 1.0, "pay my bill")), text))
                .hasSize(1);
        assertThat(match(POLICY.withThreshold(0.62), List.of(tracker("billing", null, "pay my bill")), text))
                .isEmpty();
    }

    @Test
    void aTrackerFarBehindTheBestOneForTheSameSpanIsANearMiss() {
        List<TrackerDefinition> trackers = List.of(tracker("card", null, "cancel my card"),
                tracker("order", null, "cancel my order"));
        String text = "Please cancel my card";
        // card: 3 / sqrt(12) = 0.866, order: 2 / sqrt(12) = 0.577, both above the 0.55 threshold
        assertThat(match(POLICY, trackers, text)).extracting(TrackerHit::trackerId).containsExactly("card");
        assertThat(match(POLICY.withMargin(0.3), trackers, text)).extracting(TrackerHit::trackerId)
                .containsExactly("card", "order");
    }

    @Test
    void eachSentenceCanFireItsOwnTracker() {
        String text = "The weather is nice. Please cancel my card.";
        List<TrackerHit> hits = match(POLICY, List.of(tracker("card", null, "cancel my card"),
                tracker("weather", null, "nice weather today")), text);
        assertThat(hits).extracting(TrackerHit::trackerId).containsExactly("card", "weather");
        assertThat(text.substring(hits.get(0).start(), hits.get(0).end())).isEqualTo("cancel my card");
        assertThat(hits.get(0).offset()).isEqualTo(text.indexOf("cancel"));
        assertThat(text.substring(hits.get(1).start(), hits.get(1).end())).isEqualTo("The weather is nice.");
    }

    @Test
    void reportsEveryPhraseAboveTheThresholdOncePerMessage() {
        List<TrackerHit> hits = match(POLICY, List.of(tracker("card", null, "my card is lost", "lost card help",
                "order a pizza")), "help my card is lost", "nothing related here");
        assertThat(hits).extracting(TrackerHit::messageId, TrackerHit::phrase, TrackerHit::offset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("m0", "my card is lost", 5),
                        org.assertj.core.groups.Tuple.tuple("m0", "lost card help", -1));
    }

    @Test
    void aggregationsDifferAsDocumented() {
        float[] sims = {0.9f, 0.5f, 0.4f, 0.1f};
        assertThat(Aggregation.MAX.score(sims, 0, 4, 0.3f)).isEqualTo(0.9f);
        assertThat(Aggregation.TOP2_MEAN.score(sims, 0, 4, 0.3f)).isCloseTo(0.7f, within(1e-6f));
        assertThat(Aggregation.TOP3_MEAN.score(sims, 0, 4, 0.3f)).isCloseTo(0.6f, within(1e-6f));
        assertThat(Aggregation.CENTROID.score(sims, 0, 4, 0.3f)).isEqualTo(0.3f);
        assertThat(Aggregation.MAX_CENTROID.score(sims, 0, 4, 0.3f)).isCloseTo(0.6f, within(1e-6f));
        assertThat(Aggregation.TOP3_MEAN.score(sims, 2, 4, 0f)).isCloseTo(0.25f, within(1e-6f));
    }

    @Test
    void sensitivityMapsLinearlyAroundTheCalibratedDefault() {
        MatchingPolicy policy = new MatchingPolicy(Aggregation.MAX, 0.6, 0.04, 0.15);
        assertThat(policy.thresholdFor(null)).isEqualTo(0.6);
        assertThat(policy.thresholdFor(0.5)).isEqualTo(0.6);
        assertThat(policy.thresholdFor(1.0)).isCloseTo(0.45, within(1e-9));
        assertThat(policy.thresholdFor(0.0)).isCloseTo(0.75, within(1e-9));
        assertThat(policy.marginFor(null)).isEqualTo(0.04);
        assertThat(policy.marginFor(1.0)).isCloseTo(0.08, within(1e-9));
        assertThat(policy.marginFor(0.0)).isEqualTo(0.0);
    }

    @Test
    void scoresMoreSpansThanOneBlockAndManyChunksCorrectly() {
        List<TrackerDefinition> trackers = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            trackers.add(tracker("t" + t, null, "topic" + t + " alpha", "topic" + t + " beta", "topic" + t + " gamma"));
        }
        String[] texts = new String[40];
        for (int m = 0; m < texts.length; m++) {
            texts[m] = "about topic" + m + " beta";
        }
        List<TrackerHit> hits = match(POLICY, trackers, texts);
        assertThat(hits).hasSize(40);
        for (int m = 0; m < texts.length; m++) {
            assertThat(hits.get(m).messageId()).isEqualTo("m" + m);
            assertThat(hits.get(m).trackerId()).isEqualTo("t" + m);
            assertThat(hits.get(m).offset()).isEqualTo(6);
        }
    }
}
