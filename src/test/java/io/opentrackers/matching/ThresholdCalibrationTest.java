package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-tracker thresholds derived from the tracker set (the quantile rule of {@link ThresholdCalibration}). */
class ThresholdCalibrationTest {

    private static final MatchingPolicy CALIBRATED =
            new MatchingPolicy(Aggregation.CLASSIFIER, 0.77, 0.0, 0.12, 0.0, 0.1, 0.95);

    private static float[][] unitVectors(Random random, int count, int dimension) {
        float[][] vectors = new float[count][dimension];
        for (float[] v : vectors) {
            double norm = 0;
            for (int j = 0; j < dimension; j++) {
                v[j] = (float) random.nextGaussian();
                norm += v[j] * v[j];
            }
            for (int j = 0; j < dimension; j++) {
                v[j] /= (float) Math.sqrt(norm);
            }
        }
        return vectors;
    }

    private static VocabularyIndex index(float[][] vectors, int trackers, Double... sensitivities) {
        List<TrackerDefinition> definitions = new ArrayList<>();
        int perTracker = vectors.length / trackers;
        for (int t = 0; t < trackers; t++) {
            List<String> vocabulary = new ArrayList<>();
            for (int p = 0; p < perTracker; p++) {
                vocabulary.add("t" + t + " phrase " + p);
            }
            definitions.add(new TrackerDefinition("t" + t, "t" + t, vocabulary,
                    t < sensitivities.length ? sensitivities[t] : null, 1));
        }
        return new VocabularyIndex(VocabularyIndex.EmbeddedTracker.of(definitions, vectors));
    }

    /** numpy's default quantile: linear interpolation between the order statistics. */
    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    @Test
    void aTrackersThresholdIsTheQuantileOfHowCloseTheOtherTrackersPhrasesComeToIt() {
        int trackers = 4;
        int phrases = 10;
        float[][] vectors = unitVectors(new Random(7), trackers * phrases, 16);
        VocabularyIndex index = index(vectors, trackers);

        for (double q : new double[] {0.8, 0.9, 0.95, 1.0}) {
            double[] thresholds = index.thresholds(CALIBRATED.withCalibrationQuantile(q));
            for (int t = 0; t < trackers; t++) {
                // brute force: every phrase of another tracker, scored as a span would be (max cosine to t's phrases)
                double[] scores = new double[(trackers - 1) * phrases];
                int n = 0;
                for (int k = 0; k < vectors.length; k++) {
                    if (k / phrases == t) {
                        continue;
                    }
                    double best = Double.NEGATIVE_INFINITY;
                    for (int p = t * phrases; p < (t + 1) * phrases; p++) {
                        double dot = 0;
                        for (int j = 0; j < 16; j++) {
                            dot += vectors[k][j] * vectors[p][j];
                        }
                        best = Math.max(best, dot);
                    }
                    scores[n++] = best;
                }
                assertThat(thresholds[t]).as("tracker %d at quantile %s", t, q)
                        .isCloseTo(quantile(scores, q), within(1e-5));
                if (q == 0.8) {
                    // a penalty in evidence spreads: the distance from the 0.8- to the 0.975-quantile of the same scores
                    MatchingPolicy spreads = new MatchingPolicy(Aggregation.CLASSIFIER, 0.77, 0, 0.12, 0, 2, 0.975,
                            MatchingPolicy.PenaltyUnit.EVIDENCE_SPREAD);
                    assertThat(index.penalties(spreads)[t]).as("tracker %d", t)
                            .isCloseTo(2 * (quantile(scores, 0.975) - quantile(scores, 0.8)), within(1e-5));
                    assertThat(index.penalties(CALIBRATED)[t]).isEqualTo(CALIBRATED.uncertaintyPenalty());
                }
            }
        }
    }

    @Test
    void aTrackerAmongCloseNeighboursNeedsMoreThanOneAmongUnrelatedTopics() {
        // tracker 0 and 1 share a direction (neighbouring intents), tracker 2 stands apart
        Random random = new Random(3);
        float[][] vectors = unitVectors(random, 30, 32);
        for (int p = 0; p < 20; p++) {
            vectors[p][0] += 3;
            double norm = 0;
            for (float x : vectors[p]) {
                norm += x * x;
            }
            for (int j = 0; j < 32; j++) {
                vectors[p][j] /= (float) Math.sqrt(norm);
            }
        }
        double[] thresholds = index(vectors, 3).thresholds(CALIBRATED);

        assertThat(thresholds[0]).isGreaterThan(thresholds[2] + 0.3);
        assertThat(thresholds[1]).isGreaterThan(thresholds[2] + 0.3);
    }

    /** A copy of a tracker is not "something else": the tracker and its copy keep the threshold it has alone. */
    @Test
    void aCopyOfATrackerLeavesItsThresholdAsItIsAlone() {
        float[][] vectors = unitVectors(new Random(9), 40, 16);
        double[] alone = index(vectors, 4).thresholds(CALIBRATED);
        // tracker 1 again, its phrases in another order, as a fifth tracker
        float[][] withCopy = Arrays.copyOf(vectors, 50);
        for (int p = 0; p < 10; p++) {
            withCopy[40 + p] = vectors[19 - p];
        }
        double[] thresholds = index(withCopy, 5).thresholds(CALIBRATED);

        assertThat(thresholds).containsExactly(alone[0], alone[1], alone[2], alone[3], alone[1]);
    }

    @Test
    void withoutEnoughOtherPhrasesTheTrackerKeepsThePrior() {
        float[][] vectors = unitVectors(new Random(1), 12, 8);

        assertThat(index(vectors, 1).thresholds(CALIBRATED)).containsExactly(0.77);
        // 2 trackers x 6 phrases: 6 other phrases each, below the evidence a quantile needs
        assertThat(index(vectors, 2).thresholds(CALIBRATED)).containsExactly(0.77, 0.77);
        // and no evidence spread: a penalty measured in it is none
        assertThat(index(vectors, 2).penalties(new MatchingPolicy(Aggregation.CLASSIFIER, 0.77, 0, 0.12, 0, 1, 0.975,
                MatchingPolicy.PenaltyUnit.EVIDENCE_SPREAD))).containsExactly(0, 0);
    }

    @Test
    void aTrackerWithoutPhrasesKeepsThePrior() {
        float[][] vectors = unitVectors(new Random(2), 40, 8);
        List<TrackerDefinition> trackers = List.of(
                new TrackerDefinition("a", "a", Collections.nCopies(20, "a"), null, 1),
                new TrackerDefinition("b", "b", Collections.nCopies(20, "b"), null, 1),
                new TrackerDefinition("empty", "empty", List.of(), null, 1));
        double[] thresholds = new VocabularyIndex(VocabularyIndex.EmbeddedTracker.of(trackers, vectors))
                .thresholds(CALIBRATED);

        assertThat(thresholds[2]).isEqualTo(0.77);
        assertThat(thresholds[0]).isNotEqualTo(0.77).isBetween(-1.0, 1.0);
    }

    @Test
    void sensitivityMovesTheCalibratedThresholdAsItMovesAFixedOne() {
        float[][] vectors = unitVectors(new Random(5), 40, 16);
        double[] neutral = index(vectors, 4).thresholds(CALIBRATED);
        double[] moved = index(vectors, 4, 1.0, 0.0, 0.5, null).thresholds(CALIBRATED);

        assertThat(moved[0]).isCloseTo(neutral[0] - 0.12, within(1e-9));
        assertThat(moved[1]).isCloseTo(neutral[1] + 0.12, within(1e-9));
        assertThat(moved[2]).isEqualTo(neutral[2]);
        assertThat(moved[3]).isEqualTo(neutral[3]);
    }

    @Test
    void aPolicyWithoutCalibrationUsesItsThresholdForEveryTracker() {
        float[][] vectors = unitVectors(new Random(5), 40, 16);

        assertThat(index(vectors, 4, 1.0).thresholds(CALIBRATED.withCalibrationQuantile(0)))
                .containsExactly(0.77 - 0.12, 0.77, 0.77, 0.77);
    }

    @Test
    void largeTrackerSetsAreCalibratedFromASampleCloseToTheExactQuantile() {
        int trackers = 300;
        int phrases = 5;
        int dimension = 24;
        float[][] vectors = unitVectors(new Random(11), trackers * phrases, dimension);
        double[] sampled = index(vectors, trackers).thresholds(CALIBRATED);

        assertThat(vectors.length).isGreaterThan(ThresholdCalibration.MAX_SAMPLE);
        double totalError = 0;
        for (int t = 0; t < trackers; t++) {
            double[] scores = new double[(trackers - 1) * phrases];
            int n = 0;
            for (int k = 0; k < vectors.length; k++) {
                if (k / phrases != t) {
                    double best = Double.NEGATIVE_INFINITY;
                    for (int p = t * phrases; p < (t + 1) * phrases; p++) {
                        double dot = 0;
                        for (int j = 0; j < dimension; j++) {
                            dot += vectors[k][j] * vectors[p][j];
                        }
                        best = Math.max(best, dot);
                    }
                    scores[n++] = best;
                }
            }
            double exact = quantile(scores, 0.95);
            assertThat(sampled[t]).isCloseTo(exact, within(0.05));
            totalError += Math.abs(sampled[t] - exact);
        }
        assertThat(totalError / trackers).isLessThan(0.015);
    }

    private static VocabularyIndex index(float[][] vectors, int trackers, ThresholdCalibration.Evidence evidence) {
        List<TrackerDefinition> definitions = new ArrayList<>();
        int perTracker = vectors.length / trackers;
        for (int t = 0; t < trackers; t++) {
            definitions.add(new TrackerDefinition("t" + t, "t" + t, Collections.nCopies(perTracker, "t" + t), null, 1));
        }
        return new VocabularyIndex(VocabularyIndex.EmbeddedTracker.of(definitions, vectors),
                SimilarityKernel.portable(), evidence);
    }

    /** The scores of {@code sentences} against the phrases {@code from}..{@code to} (max cosine), as a span gets. */
    private static double[] scores(float[][] sentences, float[][] phrases, int from, int to) {
        double[] scores = new double[sentences.length];
        for (int k = 0; k < sentences.length; k++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int p = from; p < to; p++) {
                double dot = 0;
                for (int j = 0; j < phrases[p].length; j++) {
                    dot += sentences[k][j] * phrases[p][j];
                }
                best = Math.max(best, dot);
            }
            scores[k] = best;
        }
        return scores;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void aSingleTrackerIsCalibratedOnTheReferenceSentencesInsteadOfThePrior() {
        Random random = new Random(13);
        float[][] phrases = unitVectors(random, 5, 16);
        float[][] reference = unitVectors(random, 60, 16);

        for (ThresholdCalibration.Rule rule : List.of(ThresholdCalibration.Rule.ALWAYS,
                ThresholdCalibration.Rule.COMPLETE)) {
            VocabularyIndex index = index(phrases, 1, new ThresholdCalibration.Evidence(named(reference), reference, rule));

            assertThat(index.thresholds(CALIBRATED)[0]).as("%s", rule)
                    .isCloseTo(quantile(scores(reference, phrases, 0, 5), 0.95), within(1e-5));
            assertThat(index.calibrationEvidence()).containsExactly(60);
        }
        // without them, the prior (what the service did before the reference sentences)
        VocabularyIndex without = index(phrases, 1, ThresholdCalibration.Evidence.OTHER_TRACKERS_ONLY);
        assertThat(without.thresholds(CALIBRATED)).containsExactly(0.77);
        assertThat(without.calibrationEvidence()).containsExactly(0);
    }

    @Test
    void alwaysAddsTheReferenceSentencesToTheOtherTrackersPhrasesAndCompleteOnlyWhereTheyAreFew() {
        Random random = new Random(17);
        int trackers = 4;
        int phrases = 10;
        float[][] vectors = unitVectors(random, trackers * phrases, 16);
        float[][] reference = unitVectors(random, 50, 16);

        VocabularyIndex always = index(vectors, trackers,
                new ThresholdCalibration.Evidence(named(reference), reference, ThresholdCalibration.Rule.ALWAYS));
        VocabularyIndex complete = index(vectors, trackers,
                new ThresholdCalibration.Evidence(named(reference), reference, ThresholdCalibration.Rule.COMPLETE));
        VocabularyIndex others = index(vectors, trackers, ThresholdCalibration.Evidence.OTHER_TRACKERS_ONLY);

        for (int t = 0; t < trackers; t++) {
            float[][] otherPhrases = new float[(trackers - 1) * phrases][];
            int n = 0;
            for (int k = 0; k < vectors.length; k++) {
                if (k / phrases != t) {
                    otherPhrases[n++] = vectors[k];
                }
            }
            double[] fromOthers = scores(otherPhrases, vectors, t * phrases, (t + 1) * phrases);
            double[] fromReference = scores(reference, vectors, t * phrases, (t + 1) * phrases);
            assertThat(always.thresholds(CALIBRATED)[t])
                    .isCloseTo(quantile(concat(fromOthers, fromReference), 0.95), within(1e-5));
            // 30 other phrases are enough evidence: COMPLETE leaves the reference sentences out, as before
            assertThat(complete.thresholds(CALIBRATED)[t])
                    .isCloseTo(quantile(fromOthers, 0.95), within(1e-5))
                    .isEqualTo(others.thresholds(CALIBRATED)[t]);
        }
        assertThat(always.calibrationEvidence()).containsOnly(30 + 50);
        assertThat(complete.calibrationEvidence()).containsOnly(30);
    }

    @Test
    void completeAddsTheReferenceSentencesWhereTheOtherTrackersHaveFewPhrases() {
        Random random = new Random(19);
        float[][] vectors = unitVectors(random, 10, 16);
        float[][] reference = unitVectors(random, 40, 16);
        // 2 trackers x 5 phrases: 5 other phrases each, too few alone
        VocabularyIndex complete = index(vectors, 2,
                new ThresholdCalibration.Evidence(named(reference), reference, ThresholdCalibration.Rule.COMPLETE));

        assertThat(complete.calibrationEvidence()).containsExactly(45, 45);
        assertThat(complete.thresholds(CALIBRATED)[1]).isCloseTo(quantile(concat(
                scores(Arrays.copyOfRange(vectors, 0, 5), vectors, 5, 10), scores(reference, vectors, 5, 10)), 0.95),
                within(1e-5));
    }

    @Test
    void theShippedReferenceSentencesAreEnoughEvidenceAndLoadWithoutComments() {
        assertThat(ReferenceSentences.texts()).hasSizeBetween(200, 400)
                .noneMatch(text -> text.startsWith("#") || text.isBlank())
                .doesNotHaveDuplicates();
        assertThat(ReferenceSentences.texts().size()).isGreaterThan(ThresholdCalibration.MIN_EVIDENCE);
        assertThat(ReferenceSentences.fingerprint()).hasSize(12);
    }

    @Test
    void quantilesOutsideTheKeptPartAreRefused() {
        assertThatThrownBy(() -> CALIBRATED.withCalibrationQuantile(0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calibrationQuantile");
        assertThatThrownBy(() -> CALIBRATED.withCalibrationQuantile(1.2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Texts for reference vectors that stand for no sentence: "reference 0", "reference 1", … */
    private static List<String> named(float[][] reference) {
        return java.util.stream.IntStream.range(0, reference.length).mapToObj(i -> "reference " + i).toList();
    }
}
