package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentrackers.account.AccountId;
import io.opentrackers.matching.SimilarityKernel;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.VocabularyIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IndexCacheTest {

    /** Remembers the matrices it prepared (one per index, in build order) and which of them were released. */
    private static final class RecordingKernel implements SimilarityKernel {
        final List<float[][]> prepared = new ArrayList<>();
        final List<float[][]> released = new ArrayList<>();

        @Override
        public PreparedMatrix prepare(float[][] rows, int dimension) {
            prepared.add(rows);
            PreparedMatrix portable = SimilarityKernel.portable().prepare(rows, dimension);
            return new PreparedMatrix() {
                @Override
                public void multiply(float[][] spans, float[][] out) {
                    portable.multiply(spans, out);
                }

                @Override
                public void release() {
                    released.add(rows);
                }
            };
        }
    }

    private static final AccountId ACCOUNT = new AccountId(UUID.randomUUID());

    private final RecordingKernel kernel = new RecordingKernel();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Every index built, in order. */
    private final List<VocabularyIndex> built = new ArrayList<>();

    private IndexCache cache(long maxPhrases) {
        return new IndexCache(this::build, maxPhrases, meters);
    }

    private VocabularyIndex build(AccountId account, List<TrackerDefinition> trackers) {
        VocabularyIndex index = new VocabularyIndex(trackers.stream().map(t -> {
            float[][] vectors = new float[t.vocabulary().size()][];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = new float[] {1, 0};
            }
            return new VocabularyIndex.EmbeddedTracker(t, vectors);
        }).toList(), kernel);
        built.add(index);
        return index;
    }

    private static List<TrackerDefinition> trackers(String name, int phrases) {
        List<String> vocabulary = new ArrayList<>();
        for (int i = 0; i < phrases; i++) {
            vocabulary.add(name + " phrase " + i);
        }
        return List.of(new TrackerDefinition(name, name, vocabulary, null, 1));
    }

    private int released() {
        return kernel.released.size();
    }

    private double gets(String result) {
        return meters.get("cache.gets").tag("cache", IndexCache.METRICS_NAME).tag("result", result)
                .functionCounter().count();
    }

    @Test
    void aListAlreadyBuiltIsServedFromTheCacheAndCountedAsAHit() {
        IndexCache cache = cache(1000);
        List<TrackerDefinition> a = trackers("a", 10);
        VocabularyIndex first = cache.indexOf(ACCOUNT, a);
        // an equal list, not the same object: managed trackers are keyed by id and version
        assertThat(cache.indexOf(ACCOUNT, List.copyOf(trackers("a", 10)))).isSameAs(first);
        cache.indexOf(ACCOUNT, trackers("b", 10));

        assertThat(built).hasSize(2);
        assertThat(gets("hit")).isEqualTo(1);
        assertThat(gets("miss")).isEqualTo(2);
        assertThat(released()).isZero();
    }

    @Test
    void aNewVersionIsADifferentIndexAndInlineTrackersAreKeyedByTheirContent() {
        IndexCache cache = cache(1000);
        TrackerDefinition v1 = trackers("a", 5).get(0);
        TrackerDefinition v2 = new TrackerDefinition(v1.id(), v1.name(), v1.vocabulary(), null, 2);
        assertThat(cache.indexOf(ACCOUNT, List.of(v2))).isNotSameAs(cache.indexOf(ACCOUNT, List.of(v1)));

        TrackerDefinition inline = new TrackerDefinition("i", "Inline", List.of("x", "y"), null, 0);
        TrackerDefinition inlineRenamed = new TrackerDefinition("i", "Renamed", List.of("x", "y"), null, 0);
        VocabularyIndex inlineIndex = cache.indexOf(ACCOUNT, List.of(inline));
        assertThat(cache.indexOf(ACCOUNT, List.of(new TrackerDefinition("i", "Inline", List.of("x", "y"), null, 0))))
                .isSameAs(inlineIndex);
        assertThat(cache.indexOf(ACCOUNT, List.of(inlineRenamed))).isNotSameAs(inlineIndex);
    }

    @Test
    void anIndexEvictedForSpaceIsReleasedAndTheKeptOnesAreNot() {
        IndexCache cache = cache(2 * (10 + IndexCache.INDEX_WEIGHT));
        cache.indexOf(ACCOUNT, trackers("a", 10));
        cache.indexOf(ACCOUNT, trackers("b", 10));
        assertThat(released()).isZero();

        cache.indexOf(ACCOUNT, trackers("c", 10)); // three indexes weigh more than two: one of them goes

        assertThat(released()).isEqualTo(1);
        assertThat(meters.get("cache.evictions").tag("cache", IndexCache.METRICS_NAME).functionCounter().count())
                .isEqualTo(1);
        int evicted = kernel.prepared.indexOf(kernel.released.get(0));
        assertThat(evicted).as("the released matrix is one of the three indexes'").isBetween(0, 2);
        List<String> names = List.of("a", "b", "c");
        for (int i = 0; i < names.size(); i++) {
            if (i != evicted) {
                assertThat(cache.indexOf(ACCOUNT, trackers(names.get(i), 10))).as("kept").isSameAs(built.get(i));
            }
        }
        assertThat(built).as("the kept ones were served, not rebuilt").hasSize(3);
    }

    @Test
    void anIndexReplacedByAnotherCallersBuildOfTheSameTrackersIsReleased() {
        List<TrackerDefinition> a = trackers("a", 10);
        IndexCache[] cache = new IndexCache[1];
        boolean[] raced = {false};
        // while the first caller builds, a second one misses too, builds and puts first
        cache[0] = new IndexCache((account, trackers) -> {
            if (!raced[0]) {
                raced[0] = true;
                cache[0].indexOf(ACCOUNT, trackers);
            }
            return build(account, trackers);
        }, 100, meters);

        VocabularyIndex first = cache[0].indexOf(ACCOUNT, a);

        assertThat(built).hasSize(2);
        assertThat(released()).as("the second caller's index, replaced by the first caller's").isEqualTo(1);
        assertThat(cache[0].indexOf(ACCOUNT, a)).isSameAs(first);
    }

    @Test
    void anIndexOfASupersededVersionIsReleasedAndBuiltAgainWhenAskedFor() {
        IndexCache cache = cache(1000);
        List<TrackerDefinition> a = trackers("a", 10);
        VocabularyIndex first = cache.indexOf(ACCOUNT, a);

        cache.invalidateSuperseded(a, List.of(new TrackerDefinition("a", "a", a.get(0).vocabulary(), null, 2)));

        assertThat(released()).isEqualTo(1);
        assertThat(cache.indexOf(ACCOUNT, a)).isNotSameAs(first);
    }

    @Test
    void supersedingAnAccountsTrackersKeepsTheIndexesOfItsCurrentOnesAndOfOtherTrackers() {
        IndexCache cache = cache(1000);
        List<TrackerDefinition> a = trackers("a", 10);
        List<TrackerDefinition> other = trackers("other", 10);
        List<TrackerDefinition> b = List.of(new TrackerDefinition("a", "a", a.get(0).vocabulary(), null, 2));
        VocabularyIndex otherIndex = cache.indexOf(ACCOUNT, other);
        VocabularyIndex current = cache.indexOf(ACCOUNT, b);
        cache.indexOf(ACCOUNT, a);

        cache.invalidateSuperseded(a, b);

        assertThat(cache.indexOf(ACCOUNT, other)).isSameAs(otherIndex);
        assertThat(cache.indexOf(ACCOUNT, b)).isSameAs(current);
        assertThat(cache.holds(ACCOUNT, a)).isFalse();
    }
}
