package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentrackers.embedding.OnnxSimilarityKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The classifier is fitted with the matrix products of the index's kernel: ONNX Runtime's in the service, plain
 * Java in unit tests and wherever no native kernel is plugged in. Both must give the same classifier up to float
 * rounding, and one kernel must give the same classifier every time (same input, same output).
 */
class TrackerClassifierTest {

    private static final int TRACKERS = 20;
    private static final int PHRASES = 10;
    private static final int DIMENSION = 384;

    @Test
    void choosesTheTrackerWhosePhrasesSurroundAnUnseenSpan() {
        Random random = new Random(3);
        float[][] centres = unitVectors(random, TRACKERS, null, 0);
        float[][] phrases = phrasesAround(random, centres);
        TrackerClassifier classifier = TrackerClassifier.fit(phrases, labels(), TRACKERS, SimilarityKernel.portable());
        int right = 0;
        for (int t = 0; t < TRACKERS; t++) {
            for (float[] span : unitVectors(random, 5, centres[t], 0.9)) {
                if (classifier.choose(span).tracker() == t) {
                    right++;
                }
            }
        }
        assertThat(right).isEqualTo(TRACKERS * 5);
    }

    @Test
    void theNativeAndThePortableKernelFitTheSameClassifierUpToRounding() {
        Random random = new Random(7);
        float[][] centres = unitVectors(random, TRACKERS, null, 0);
        float[][] phrases = phrasesAround(random, centres);
        TrackerClassifier portable = TrackerClassifier.fit(phrases, labels(), TRACKERS, SimilarityKernel.portable());
        TrackerClassifier nativeFit = TrackerClassifier.fit(phrases, labels(), TRACKERS,
                OnnxSimilarityKernel.serviceDefault());
        TrackerClassifier nativeAgain = TrackerClassifier.fit(phrases, labels(), TRACKERS,
                OnnxSimilarityKernel.serviceDefault());
        // spans between two trackers, where the probabilities are far from 0 and 1 and any difference shows
        for (int t = 0; t < TRACKERS; t++) {
            float[] span = unitVectors(random, 1, mix(centres[t], centres[(t + 1) % TRACKERS]), 0.5)[0];
            TrackerClassifier.Choice expected = portable.choose(span);
            TrackerClassifier.Choice actual = nativeFit.choose(span);
            assertThat(actual.tracker()).isEqualTo(expected.tracker());
            assertThat(actual.probability()).isCloseTo(expected.probability(), within(1e-4));
            assertThat(nativeAgain.choose(span)).isEqualTo(actual);
        }
    }

    /**
     * A copy of a tracker (a duplicate made to try a change, the same tracker imported twice) is chosen together with
     * it, with the probability the tracker has without its copy: neither takes the other's spans away.
     */
    @Test
    void aCopyOfATrackerIsChosenWithItAtTheProbabilityItHasAlone() {
        Random random = new Random(11);
        float[][] centres = unitVectors(random, TRACKERS, null, 0);
        float[][] phrases = phrasesAround(random, centres);
        int copied = 7;
        // the copy's phrases in another order, appended as tracker TRACKERS
        float[][] withCopy = Arrays.copyOf(phrases, phrases.length + PHRASES);
        int[] labelsWithCopy = Arrays.copyOf(labels(), phrases.length + PHRASES);
        for (int p = 0; p < PHRASES; p++) {
            withCopy[phrases.length + p] = phrases[copied * PHRASES + PHRASES - 1 - p];
            labelsWithCopy[phrases.length + p] = TRACKERS;
        }
        TrackerClassifier alone = TrackerClassifier.fit(phrases, labels(), TRACKERS, SimilarityKernel.portable());
        TrackerClassifier both = TrackerClassifier.fit(withCopy, labelsWithCopy, TRACKERS + 1,
                SimilarityKernel.portable());
        int copiedChosen = 0;
        for (int t = 0; t < TRACKERS; t++) {
            for (float[] span : unitVectors(random, 3, mix(centres[t], centres[copied]), 0.5)) {
                TrackerClassifier.Choice expected = alone.choose(span);
                TrackerClassifier.Choice actual = both.choose(span);
                assertThat(actual.probability()).isEqualTo(expected.probability());
                if (expected.tracker() == copied) {
                    copiedChosen++;
                    assertThat(actual.trackers()).containsExactly(copied, TRACKERS);
                } else {
                    assertThat(actual.trackers()).containsExactly(expected.tracker());
                }
            }
        }
        assertThat(copiedChosen).isGreaterThan(3);
    }

    /**
     * An account of 200 trackers of 10 phrases is still decided by the classifier (and so reads windows, clauses and
     * the message as context); only beyond (the 500 trackers × 10 phrases of the benchmarks) does MAX decide.
     */
    @Test
    void anAccountOfTwoHundredTrackersKeepsItsClassifierFiveHundredDoNot() {
        Random random = new Random(5);
        assertThat(account(random, 200).classifier()).isNotNull();
        assertThat(account(random, 500).classifier()).isNull();
    }

    private static VocabularyIndex account(Random random, int trackers) {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        List<String> vocabulary = IntStream.range(0, PHRASES).mapToObj(p -> "phrase " + p)
                .toList();
        for (int t = 0; t < trackers; t++) {
            embedded.add(new VocabularyIndex.EmbeddedTracker(
                    new TrackerDefinition("t" + t, "t" + t, vocabulary, null, 1), unitVectors(random, PHRASES, null, 0)));
        }
        return new VocabularyIndex(embedded, OnnxSimilarityKernel.serviceDefault());
    }

    private static int[] labels() {
        int[] labels = new int[TRACKERS * PHRASES];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / PHRASES;
        }
        return labels;
    }

    private static float[][] phrasesAround(Random random, float[][] centres) {
        float[][] phrases = new float[TRACKERS * PHRASES][];
        for (int t = 0; t < TRACKERS; t++) {
            float[][] around = unitVectors(random, PHRASES, centres[t], 0.8);
            System.arraycopy(around, 0, phrases, t * PHRASES, PHRASES);
        }
        return phrases;
    }

    private static float[] mix(float[] a, float[] b) {
        float[] mixed = new float[a.length];
        for (int j = 0; j < a.length; j++) {
            mixed[j] = a[j] + b[j];
        }
        return mixed;
    }

    /** Unit vectors, each {@code weight} of the way towards {@code centre} (direction only) from a random one. */
    private static float[][] unitVectors(Random random, int count, float[] centre, double weight) {
        float[][] vectors = new float[count][DIMENSION];
        double centreNorm = 0;
        if (centre != null) {
            for (float c : centre) {
                centreNorm += c * c;
            }
            centreNorm = Math.sqrt(centreNorm);
        }
        for (float[] v : vectors) {
            double norm = 0;
            for (int j = 0; j < DIMENSION; j++) {
                v[j] = (float) (random.nextGaussian() / Math.sqrt(DIMENSION));
                if (centre != null) {
                    v[j] = (float) ((1 - weight) * v[j] + weight * centre[j] / centreNorm);
                }
                norm += v[j] * v[j];
            }
            for (int j = 0; j < DIMENSION; j++) {
                v[j] /= (float) Math.sqrt(norm);
            }
        }
        return vectors;
    }
}
