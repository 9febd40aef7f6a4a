package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.embedding.OnnxSimilarityKernel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What fitting the classifier costs as an account grows (10 phrases per tracker), with the service's kernel and the
 * plain-Java one side by side: the figure behind {@link TrackerClassifier#MAX_PHRASE_TRACKER_PRODUCTS}. Random unit
 * vectors of the model's dimension (the cost does not depend on what they say). Run on demand (docs/matching.md):
 * {@code ./mvnw -B test -DskipTests=false -Dbenchmark=true -Dtest=ClassifierFitBenchmarkTest}
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ClassifierFitBenchmarkTest {

    @Test
    void fitTimeByAccountSize() {
        Random random = new Random(11);
        SimilarityKernel service = OnnxSimilarityKernel.serviceDefault();
        for (int trackers : new int[] {50, 100, 200, 300, 500}) {
            int phrases = trackers * 10;
            float[][] vectors = new float[phrases][384];
            int[] labels = new int[phrases];
            for (int i = 0; i < phrases; i++) {
                labels[i] = i / 10;
                double norm = 0;
                for (int j = 0; j < 384; j++) {
                    vectors[i][j] = (float) random.nextGaussian();
                    norm += vectors[i][j] * vectors[i][j];
                }
                for (int j = 0; j < 384; j++) {
                    vectors[i][j] /= (float) Math.sqrt(norm);
                }
            }
            double[] nativeMillis = new double[3];
            for (int run = 0; run < nativeMillis.length; run++) {
                long started = System.nanoTime();
                TrackerClassifier classifier = TrackerClassifier.fit(vectors, labels, trackers, service);
                nativeMillis[run] = (System.nanoTime() - started) / 1e6;
                assertThat(classifier.choose(vectors[0]).tracker()).isZero();
            }
            Arrays.sort(nativeMillis);
            double portableMillis = Double.NaN;
            if (trackers <= 100) { // the Java loops take seconds beyond
                long started = System.nanoTime();
                TrackerClassifier.fit(vectors, labels, trackers, SimilarityKernel.portable());
                portableMillis = (System.nanoTime() - started) / 1e6;
            }
            System.out.printf("FIT BENCHMARK: %d trackers x 10 phrases (%,d phrase x tracker products): service "
                    + "kernel %.0f ms (median of 3), portable kernel %.0f ms%n", trackers, (long) phrases * trackers,
                    nativeMillis[1], portableMillis);
        }
    }
}
