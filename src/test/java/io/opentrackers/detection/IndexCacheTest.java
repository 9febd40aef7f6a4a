package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.matching.SimilarityKernel;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.VocabularyIndex;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexCacheTest {

    /** Remembers which prepared matrices were released. */
    private static final class RecordingKernel implements SimilarityKernel {
        final List<String> released = new ArrayList<>();

        @Override
        public PreparedMatrix prepare(float[][] rows, int dimension) {
            PreparedMatrix portable = SimilarityKernel.portable().prepare(rows, dimension);
            String name = "matrix of " + rows.length + " rows #" + System.identityHashCode(rows);
            return new PreparedMatrix() {
                @Override
                public void multiply(float[][] spans, float[][] out) {
                    portable.multiply(spans, out);
                }

                @Override
                public void release() {
                    released.add(name);
                }

                @Override
                public String toString() {
                    return name;
                }
            };
        }
    }

    private static List<TrackerDefinition> trackers(String name, int phrases) {
        List<String> vocabulary = new ArrayList<>();
        for (int i = 0; i < phrases; i++) {
            vocabulary.add(name + " phrase " + i);
        }
        return List.of(new TrackerDefinition(name, name, vocabulary, null, 1));
    }

    private static VocabularyIndex index(List<TrackerDefinition> trackers, SimilarityKernel kernel) {
        float[][] vectors = new float[trackers.get(0).vocabulary().size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = new float[] {1, 0};
        }
        return new VocabularyIndex(List.of(new VocabularyIndex.EmbeddedTracker(trackers.get(0), vectors)), kernel);
    }

    @Test
    void indexesDroppedForSpaceOrReplacedAreReleasedAndKeptOnesAreNot() {
        RecordingKernel kernel = new RecordingKernel();
        DetectionService.IndexCache cache = new DetectionService.IndexCache(20);
        List<TrackerDefinition> a = trackers("a", 10);
        List<TrackerDefinition> b = trackers("b", 10);
        List<TrackerDefinition> c = trackers("c", 10);
        VocabularyIndex first = index(a, kernel);
        cache.put(a, first);
        cache.put(b, index(b, kernel));
        assertThat(kernel.released).isEmpty();

        VocabularyIndex replacement = index(a, kernel);
        cache.put(a, replacement); // the same trackers built again (two callers raced): the older index goes
        assertThat(kernel.released).hasSize(1);

        cache.put(c, index(c, kernel)); // 30 phrases > 20: the least recently used (b) is dropped
        assertThat(kernel.released).hasSize(2);
        assertThat(cache.get(b)).isNull();
        assertThat(cache.get(a)).isSameAs(replacement);
        assertThat(cache.get(c)).isNotNull();
    }
}
