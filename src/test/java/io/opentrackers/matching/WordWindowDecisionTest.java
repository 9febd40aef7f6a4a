package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the classifier decides, a long sentence's cosines to the phrases are its best over the sentence and its
 * word windows (docs/matching.md, "Word windows"), with the bag-of-words model of {@link TrackerMatcherTest}
 * (cosine = word overlap).
 */
class WordWindowDecisionTest {

    private static final MatchingPolicy CLASSIFIER = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0.0, 0.1,
            0.0, 0.1);
    private static final MatchingPolicy MAX = new MatchingPolicy(Aggregation.MAX, 0.5, 0.0, 0.1);

    private static final List<TrackerDefinition> TRACKERS = List.of(
            tracker("boss", "my boss must approve it", "approval from my boss", "ask my boss first",
                    "the boss decides", "boss has to sign off"),
            tracker("price", "how much does it cost", "what is the price", "monthly fee", "price per user",
                    "any discount"));

    /** 19 words; "my boss must approve" lies whole in the window of words 9 to 16. */
    private static final String LONG_SENTENCE =
            "Thanks a lot for the great demo today and of course my boss must approve this kind of spend.";

    private final BagOfWordsModel model = new BagOfWordsModel();
    private final VocabularyIndex index = index();

    private static TrackerDefinition tracker(String id, String... vocabulary) {
        return new TrackerDefinition(id, id + "-name", List.of(vocabulary), null, 1);
    }

    private VocabularyIndex index() {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition tracker : TRACKERS) {
            embedded.add(new VocabularyIndex.EmbeddedTracker(tracker, model.embed(tracker.vocabulary())));
        }
        return new VocabularyIndex(embedded);
    }

    private double cosine(String a, String b) {
        float[][] vectors = model.embed(List.of(a, b));
        return Vectors.dot(vectors[0], vectors[1]);
    }

    @Test
    void aShortPhraseSaidInsideALongSentenceIsScoredAgainstTheWindowThatHoldsIt() {
        String phrase = "my boss must approve it";
        // the sentence as a whole dilutes the phrase below the threshold ...
        assertThat(cosine(phrase, LONG_SENTENCE)).isLessThan(0.5);
        double window = cosine(phrase, "and of course my boss must approve this");
        assertThat(window).isGreaterThan(0.6);

        List<TrackerHit> hits = new TrackerMatcher(model, CLASSIFIER).match(index,
                List.of(new MessageText("m0", LONG_SENTENCE)));
        // ... the window holding it fires the tracker; the hit names that window and carries its cosine
        int start = LONG_SENTENCE.indexOf("and of course");
        int end = LONG_SENTENCE.indexOf(" kind of spend");
        assertThat(hits).extracting(TrackerHit::trackerId, TrackerHit::phrase, TrackerHit::offset, TrackerHit::start,
                TrackerHit::end).containsExactly(tuple("boss", phrase, -1, start, end));
        assertThat(LONG_SENTENCE.substring(start, end)).isEqualTo("and of course my boss must approve this");
        assertThat(hits.get(0).score()).isCloseTo(window, within(1e-6));
    }

    @Test
    void withoutAClassifierNoWindowIsReadOrEmbedded() {
        // MAX decides on the sentence alone (as does CLASSIFIER on an index too large for a classifier)
        int before = model.embedded();
        List<TrackerHit> hits = new TrackerMatcher(model, MAX).match(index,
                List.of(new MessageText("m0", LONG_SENTENCE)));
        assertThat(hits).isEmpty();
        assertThat(model.embedded() - before).isEqualTo(1);
    }

    @Test
    void onlySentencesLongerThanAWindowCostMoreModelRuns() {
        TrackerMatcher matcher = new TrackerMatcher(model, CLASSIFIER);
        int before = model.embedded();
        matcher.match(index, List.of(new MessageText("m0", "What is the monthly fee per user?")));
        assertThat(model.embedded() - before).isEqualTo(1);
        before = model.embedded();
        matcher.match(index, List.of(new MessageText("m1", LONG_SENTENCE)));
        // the sentence and its three windows (words 1-8, 9-16, 17-19)
        assertThat(model.embedded() - before).isEqualTo(4);
    }

    @Test
    void aLongSentenceSentAloneWithItsMessageIsDecidedAsInsideTheWholeMessage() {
        String whole = "Hi Dana. " + LONG_SENTENCE + " What is the price per user?";
        TrackerMatcher matcher = new TrackerMatcher(model, CLASSIFIER);
        List<TrackerHit> inside = matcher.match(index, List.of(new MessageText("m0", whole)));
        // a job or a stream stores the message as sentences and detects each with the message it was cut from
        List<TrackerHit> alone = matcher.match(index, List.of(
                new MessageText("s0", "Hi Dana.", MessageContext.NONE, whole),
                new MessageText("s1", LONG_SENTENCE, MessageContext.NONE, whole),
                new MessageText("s2", "What is the price per user?", MessageContext.NONE, whole)));
        assertThat(inside).extracting(TrackerHit::trackerId).contains("boss", "price");
        assertThat(alone).extracting(TrackerHit::trackerId, TrackerHit::phrase, TrackerHit::score)
                .containsExactlyInAnyOrderElementsOf(inside.stream()
                        .map(hit -> tuple(hit.trackerId(), hit.phrase(), hit.score())).toList());
        // and names the same words: the same window, counted from the sentence instead of the message
        int sentenceAt = whole.indexOf(LONG_SENTENCE);
        assertThat(alone.stream().filter(hit -> hit.trackerId().equals("boss"))
                .map(hit -> tuple(hit.start() + sentenceAt, hit.end() + sentenceAt)).toList())
                .isEqualTo(inside.stream().filter(hit -> hit.trackerId().equals("boss"))
                        .map(hit -> tuple(hit.start(), hit.end())).toList());
    }
}
