package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

    private static final MatchingPolicy CLASSIFIER = new MatchingPolicy(Aggregation.CLASSIFIER, 0.55, 0.0, 0.1);

    /** "lost" is what every phrase of the first tracker shares; the second has one stray phrase close to the span. */
    private static final List<TrackerDefinition> LOST_OR_PIN = List.of(
            tracker("lost", null, "i lost my card", "lost card", "card was lost", "lost it somewhere",
                    "my wallet is lost"),
            tracker("pin", null, "change my pin", "forgot my pin", "pin code blocked", "please my card"));

    @Test
    void classifierAssignsASpanToTheTrackerWhoseVocabularyItResemblesAsAWhole() {
        String text = "lost my card please";
        // closest single phrase: "please my card" (pin, 3 / sqrt(12) = 0.866) beats "i lost my card" (0.75)
        assertThat(match(POLICY.withMargin(0), LOST_OR_PIN, text)).extracting(TrackerHit::trackerId)
                .containsOnly("pin");
        // the classifier weighs all phrases: "lost" marks the first tracker, "my card" is shared by both
        List<TrackerHit> hits = match(CLASSIFIER, LOST_OR_PIN, text);
        assertThat(hits).extracting(TrackerHit::trackerId).containsOnly("lost");
        // still explainable: the chosen tracker's phrases above the floor, with their cosine on the span
        assertThat(hits).extracting(TrackerHit::phrase, TrackerHit::offset, hit -> (float) hit.score())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("i lost my card", -1, 0.75f),
                        org.assertj.core.groups.Tuple.tuple("lost card", -1, (float) (2 / Math.sqrt(8))),
                        org.assertj.core.groups.Tuple.tuple("card was lost", -1, (float) (2 / Math.sqrt(12))));
        assertThat(hits.get(0).start()).isZero();
        assertThat(hits.get(0).end()).isEqualTo(text.length());
    }

    @Test
    void classifierChoiceStillNeedsTheCosineFloorSoOutOfScopeIsRejected() {
        // the classifier always prefers some tracker; the floor on that tracker's best cosine rejects the span
        assertThat(match(CLASSIFIER, LOST_OR_PIN, "the weather is nice today", "forgot my pin"))
                .extracting(TrackerHit::messageId, TrackerHit::trackerId)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("m1", "pin"));
        // "lost" alone: 1 / sqrt(2) = 0.707 to "lost card"; a floor above that rejects it
        assertThat(match(CLASSIFIER, LOST_OR_PIN, "lost")).extracting(TrackerHit::trackerId).containsOnly("lost");
        assertThat(match(CLASSIFIER.withThreshold(0.75), LOST_OR_PIN, "lost")).isEmpty();
    }

    @Test
    void classifierProbabilityRejectsASpanThatSitsBetweenTrackers() {
        // "lost" marks one tracker, "pin" the other: both pass a low cosine floor (0.5 to "lost card", 0.41 to
        // "change my pin"), but the classifier cannot tell which tracker the span is about
        MatchingPolicy lowFloor = CLASSIFIER.withThreshold(0.3);
        assertThat(match(lowFloor, LOST_OR_PIN, "lost pin")).isNotEmpty();
        assertThat(match(lowFloor.withMinProbability(0.9), LOST_OR_PIN, "lost pin")).isEmpty();
        assertThat(match(CLASSIFIER.withMinProbability(0.9), LOST_OR_PIN, "I lost my card"))
                .extracting(TrackerHit::trackerId).containsOnly("lost");
    }

    @Test
    void uncertainClassifierChoiceNeedsACloserPhrase() {
        MatchingPolicy lowFloor = CLASSIFIER.withThreshold(0.3);
        assertThat(match(lowFloor, LOST_OR_PIN, "lost pin")).isNotEmpty();
        // "pin" pulls the span towards the other tracker: the classifier gives "lost" p = 0.885, so penalty 2 asks
        // for 0.3 + 2 * ln(1 / 0.885) = 0.544, above the span's best cosine (0.5 to "lost card")
        assertThat(match(lowFloor.withUncertaintyPenalty(2), LOST_OR_PIN, "lost pin")).isEmpty();
        // a span well inside one tracker (p = 0.998) keeps its hit under the same penalty
        assertThat(match(lowFloor.withUncertaintyPenalty(2), LOST_OR_PIN, "I lost my card"))
                .extracting(TrackerHit::trackerId).containsOnly("lost");
    }

    @Test
    void uncertaintyPenaltyRaisesTheThresholdByTheLogOfTheInverseProbability() {
        MatchingPolicy policy = CLASSIFIER.withUncertaintyPenalty(0.1);
        // in cosine, whatever the tracker's evidence spread
        double penalty = policy.penaltyFor(0.07);
        assertThat(penalty).isEqualTo(0.1);
        assertThat(policy.classifierAccepts(0.55, 0.55, penalty, 1.0)).isTrue();
        // p = 0.5 needs 0.1 * ln 2 = 0.069 more
        assertThat(policy.classifierAccepts(0.618, 0.55, penalty, 0.5)).isFalse();
        assertThat(policy.classifierAccepts(0.62, 0.55, penalty, 0.5)).isTrue();
        assertThat(CLASSIFIER.classifierAccepts(0.55, 0.55, CLASSIFIER.penaltyFor(0.07), 0.01)).isTrue();
        assertThat(CLASSIFIER.withMinProbability(0.3).classifierAccepts(0.99, 0.55, 0, 0.2)).isFalse();
    }

    @Test
    void aPenaltyInEvidenceSpreadsIsThatManySpreadsOfTheTrackersOwnEvidence() {
        MatchingPolicy policy = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0, 0.15, 0, 1.5, 0.975,
                MatchingPolicy.PenaltyUnit.EVIDENCE_SPREAD);
        assertThat(policy.penaltyFor(0.04)).isCloseTo(0.06, within(1e-12));
        assertThat(policy.penaltyFor(0)).as("no evidence, no penalty").isZero();
        // p = 0.5 with a spread of 0.04 needs 1.5 * 0.04 * ln 2 = 0.0416 more
        assertThat(policy.classifierThreshold(0.8, policy.penaltyFor(0.04), 0.5))
                .isCloseTo(0.8 + 0.06 * Math.log(2), within(1e-12));
        // a penalty set in configuration is in cosine, as documented
        MatchingPolicy configured = new PolicyOverrides(null, null, null, null, 0.05).applyTo(policy);
        assertThat(configured.penaltyUnit()).isEqualTo(MatchingPolicy.PenaltyUnit.COSINE);
        assertThat(configured.penaltyFor(0.04)).isEqualTo(0.05);
        assertThat(PolicyOverrides.NONE.applyTo(policy)).isEqualTo(policy);
    }

    @Test
    void classifierKeepsLiteralHitsAndFitsOncePerIndex() {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition tracker : LOST_OR_PIN) {
            embedded.add(new VocabularyIndex.EmbeddedTracker(tracker, model.embed(tracker.vocabulary())));
        }
        VocabularyIndex index = new VocabularyIndex(embedded);
        assertThat(index.classifier()).isSameAs(index.classifier());
        // a literal phrase of the tracker the classifier does not choose still fires, with its offset
        List<TrackerHit> hits = new TrackerMatcher(model, CLASSIFIER.withThreshold(0.99)).match(index,
                List.of(new MessageText("m0", "so I lost my card, please my card")));
        assertThat(hits).extracting(TrackerHit::trackerId, TrackerHit::phrase, TrackerHit::offset)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("lost", "i lost my card", 3),
                        org.assertj.core.groups.Tuple.tuple("pin", "please my card", 19));
    }

    @Test
    void largeIndexesDoWithoutAClassifier() {
        assertThat(TrackerClassifier.affordable(770, 77)).isTrue();
        assertThat(TrackerClassifier.affordable(25_000, 500)).isFalse();
    }

    /**
     * A job of one message of 48,000 "Hm." took 81 s and grew the service to 2 GB: whether a fragment sentence counts
     * was answered by cutting the whole message again for each of its sentences, whose cost is the square of the
     * message's length. Deciding the sentences of one message now reads the message once, so the memory a call takes
     * grows with its sentences (a few MB here) rather than with their square (over a gigabyte).
     */
    @Test
    void theFragmentsOfALongMessageAreDecidedWithoutCuttingTheMessageForEachOfThem() {
        String whole = "I want to pay my bill. " + "Ok. ".repeat(5_000).strip();
        List<MessageText> sentences = new ArrayList<>();
        sentences.add(new MessageText("s0", "I want to pay my bill.", MessageContext.NONE, whole));
        for (int i = 1; i <= 5_000; i++) {
            sentences.add(new MessageText("s" + i, "Ok.", MessageContext.NONE, whole));
        }
        VocabularyIndex index = new VocabularyIndex(List.of(new VocabularyIndex.EmbeddedTracker(
                tracker("billing", null, "pay my bill"), model.embed(List.of("pay my bill")))));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        List<TrackerHit> hits = new TrackerMatcher(model, POLICY).match(index, sentences);

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(hits).extracting(TrackerHit::messageId).containsExactly("s0");
        assertThat(allocated).as("bytes allocated deciding 5,001 sentences of one message")
                .isLessThan(100L * 1024 * 1024);
    }
}

