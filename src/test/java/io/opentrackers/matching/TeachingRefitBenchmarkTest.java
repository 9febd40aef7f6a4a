package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import io.opentrackers.embedding.OnnxSimilarityKernel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What a change of examples costs the matcher: building the index of 50 trackers × 10 phrases with 200 examples
 * each (half positive) and fitting its classifier, the work after every example write (the vectors of the
 * examples are stored, so nothing is embedded again but the new example). Random unit vectors of the model's
 * dimension: the cost does not depend on what they say. Run on demand (docs/teaching.md):
 * {@code ./mvnw -B test -DskipTests=false -Dbenchmark=true -Dtest=TeachingRefitBenchmarkTest}
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class TeachingRefitBenchmarkTest {

    @Test
    void fiftyTrackersWithTwoHundredExamplesEach() {
        Random random = new Random(50);
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            List<String> vocabulary = new ArrayList<>();
            List<LabelledExample> examples = new ArrayList<>();
            for (int p = 0; p < 10; p++) {
                vocabulary.add("phrase " + t + " " + p);
            }
            for (int e = 0; e < 200; e++) {
                examples.add(new LabelledExample("example " + t + " " + e, e % 2 == 0));
            }
            embedded.add(new VocabularyIndex.EmbeddedTracker(
                    new TrackerDefinition("t" + t, "t" + t, vocabulary, null, 1).withExamples(examples),
                    unitVectors(random, 10), null, unitVectors(random, 200)));
        }
        List<VocabularyIndex.EmbeddedTracker> vocabularyOnly = embedded.stream()
                .map(e -> new VocabularyIndex.EmbeddedTracker(new TrackerDefinition(e.tracker().id(),
                        e.tracker().name(), e.tracker().vocabulary(), null, 1), e.phraseVectors()))
                .toList();
        // the service's kernel (default trackers.embedding.native-kernel-min-rows) and the plain-Java one, in turns
        Map<String, SimilarityKernel> kernels = new LinkedHashMap<>();
        kernels.put("service kernel (ONNX Runtime)", new OnnxSimilarityKernel(1024));
        kernels.put("portable kernel (Java)", SimilarityKernel.portable());
        Map<String, double[]> taught = new LinkedHashMap<>();
        Map<String, double[]> plain = new LinkedHashMap<>();
        kernels.keySet().forEach(name -> {
            taught.put(name, new double[5]);
            plain.put(name, new double[5]);
        });
        MatchingPolicy policy = MatchingPolicy.calibratedFor("bge-small-en-v15-q");
        for (int run = 0; run < 5; run++) {
            for (Map.Entry<String, SimilarityKernel> kernel : kernels.entrySet()) {
                long started = System.nanoTime();
                VocabularyIndex index = new VocabularyIndex(embedded, kernel.getValue());
                index.prepare(policy);
                taught.get(kernel.getKey())[run] = (System.nanoTime() - started) / 1e6;
                assertThat(index.examples().rows()).isEqualTo(50 * 200);
                index.release();
                started = System.nanoTime();
                VocabularyIndex vocabulary = new VocabularyIndex(vocabularyOnly, kernel.getValue());
                vocabulary.prepare(policy);
                plain.get(kernel.getKey())[run] = (System.nanoTime() - started) / 1e6;
                vocabulary.release();
            }
        }
        for (String name : kernels.keySet()) {
            double[] with = taught.get(name);
            double[] without = plain.get(name);
            Arrays.sort(with);
            Arrays.sort(without);
            System.out.printf("REFIT BENCHMARK, %s: 50 trackers x 10 phrases + 200 examples: index and classifier "
                    + "in %.0f ms (median of 5; min %.0f, max %.0f); without examples %.0f ms%n", name, with[2],
                    with[0], with[4], without[2]);
        }
    }

    private static float[][] unitVectors(Random random, int count) {
        float[][] vectors = new float[count][384];
        for (float[] v : vectors) {
            double norm = 0;
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
                norm += v[d] * v[d];
            }
            for (int d = 0; d < v.length; d++) {
                v[d] /= (float) Math.sqrt(norm);
            }
        }
        return vectors;
    }
}
