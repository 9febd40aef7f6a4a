package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classifier reads each sentence of a message in the context of the whole message (docs/matching.md, "The
 * message as context"), with the bag-of-words model of {@link TrackerMatcherTest} (cosine = word overlap).
 */
class MessageContextDecisionTest {

    private static final MatchingPolicy CLASSIFIER = new MatchingPolicy(Aggregation.CLASSIFIER, 0.55, 0.0, 0.1,
            0.0, 0.1);

    /** "lost" marks the first tracker; "please" only occurs in the second. */
    private static final List<TrackerDefinition> LOST_OR_PIN = List.of(
            tracker("lost", "i lost my card", "lost card", "card was lost", "lost it somewhere", "my wallet is lost"),
            tracker("pin", "change my pin", "forgot my pin", "pin code blocked", "please my card"));

    private final BagOfWordsModel model = new BagOfWordsModel();
    private final VocabularyIndex index = index(LOST_OR_PIN);
    private final TrackerMatcher matcher = new TrackerMatcher(model, CLASSIFIER);

    private static TrackerDefinition tracker(String id, String... vocabulary) {
        return new TrackerDefinition(id, id + "-name", List.of(vocabulary), null, 1);
    }

    private VocabularyIndex index(List<TrackerDefinition> trackers) {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            embedded.add(new VocabularyIndex.EmbeddedTracker(tracker, model.embed(tracker.vocabulary())));
        }
        return new VocabularyIndex(embedded);
    }

    private List<TrackerHit> match(MessageText... messages) {
        return matcher.match(index, List.of(messages));
    }

    @Test
    void aSentenceThatAloneLeansToAnotherTrackerIsReadInItsMessagesTopic() {
        // alone, "Card please." is the pin tracker's ("please" only occurs there: cosine 0.82 to "please my card")
        assertThat(match(new MessageText("m0", "Card please."))).extracting(TrackerHit::trackerId)
                .containsOnly("pin");
        // after a sentence about a lost card, the classifier reads it as about the lost card (p = 0.55), whose
        // phrases it is not close to (0.5): the two-sentence message about one topic fires one tracker
        List<TrackerHit> hits = match(new MessageText("m0", "Wallet lost, card lost somewhere. Card please."));
        assertThat(hits).extracting(TrackerHit::trackerId, TrackerHit::start).containsOnly(tuple("lost", 0));
    }

    @Test
    void aMessageAboutTwoTopicsStillFiresBoth() {
        // each sentence is clearly about its own tracker: the context lowers the probabilities (0.79 and 0.996)
        // but does not change the choice, and both phrases are close enough for the penalty
        List<TrackerHit> hits = match(new MessageText("m0", "Lost my card somewhere. Blocked pin code."));
        assertThat(hits).extracting(TrackerHit::trackerId, TrackerHit::start, TrackerHit::offset)
                .containsOnly(tuple("lost", 0, -1), tuple("pin", 24, -1));
    }

    @Test
    void aSentenceSentWithItsMessageIsDecidedAsInsideTheWholeMessage() {
        String whole = "Wallet lost, card lost somewhere.\nCard please.";
        List<TrackerHit> inside = match(new MessageText("m0", whole));
        // a job or a stream stores the message as sentences and sends each with the message it was cut from
        List<TrackerHit> alone = match(new MessageText("s0", "Wallet lost, card lost somewhere.", MessageContext.NONE,
                whole), new MessageText("s1", "Card please.", MessageContext.NONE, whole));
        assertThat(alone).extracting(TrackerHit::trackerId, TrackerHit::phrase, TrackerHit::score)
                .containsExactlyInAnyOrderElementsOf(inside.stream()
                        .map(hit -> tuple(hit.trackerId(), hit.phrase(), hit.score())).toList());
        // white space between the sentences is not part of what the model reads
        assertThat(match(new MessageText("s1", "Card please.", MessageContext.NONE, "Wallet lost,  card lost"
                + " somewhere.   Card please."))).isEmpty();
    }

    @Test
    void aFragmentSentWithItsMessageIsDroppedAsInsideTheWholeMessage() {
        VocabularyIndex withAgreement = index(List.of(LOST_OR_PIN.get(0), LOST_OR_PIN.get(1),
                tracker("agree", "ok sure", "ok fine", "alright ok", "ok then", "ok go ahead")));
        // alone, "Ok." fires the agreement tracker by meaning (no phrase of it occurs literally)
        assertThat(matcher.match(withAgreement, List.of(new MessageText("m0", "Ok."))))
                .extracting(TrackerHit::trackerId).containsOnly("agree");
        // read whole, a message drops it as a fragment (fewer than 3 letters); a job or a stream, which sends each
        // sentence alone with the message it was cut from, must drop it too
        String whole = "Ok. Lost my card somewhere.";
        assertThat(matcher.match(withAgreement, List.of(new MessageText("m0", whole))))
                .extracting(TrackerHit::trackerId).containsOnly("lost");
        assertThat(matcher.match(withAgreement, List.of(new MessageText("s0", "Ok.", MessageContext.NONE, whole),
                new MessageText("s1", "Lost my card somewhere.", MessageContext.NONE, whole))))
                .extracting(TrackerHit::messageId, TrackerHit::trackerId).containsOnly(tuple("s1", "lost"));
        // a message of nothing but fragments is read all the same, whole or as its sentences
        assertThat(matcher.match(withAgreement, List.of(new MessageText("s0", "Ok.", MessageContext.NONE,
                "Ok. Ok."))))
                .extracting(TrackerHit::trackerId).containsOnly("agree");
    }

    @Test
    void theWholeMessageIsEmbeddedOnceForAllItsSentencesEvenAcrossCalls() {
        String whole = "Lost my card. Card please. It was in my wallet.";
        int before = model.embedded();
        match(new MessageText("s0", "Lost my card.", MessageContext.NONE, whole));
        match(new MessageText("s1", "Card please.", MessageContext.NONE, whole),
                new MessageText("s2", "It was in my wallet.", MessageContext.NONE, whole));
        // three sentences and their message once
        assertThat(model.embedded() - before).isEqualTo(4);
        // a one-sentence message is its own context: nothing more to embed
        before = model.embedded();
        match(new MessageText("m1", "  Lost my card.  "));
        assertThat(model.embedded() - before).isEqualTo(1);
    }

    @Test
    void withoutAClassifierNoWholeMessageIsEmbedded() {
        // MAX decides every span alone (as does CLASSIFIER on an index too large for a classifier)
        int before = model.embedded();
        new TrackerMatcher(model, new MatchingPolicy(Aggregation.MAX, 0.55, 0.0, 0.1)).match(index,
                List.of(new MessageText("m0", "Lost my card. Card please.")));
        assertThat(model.embedded() - before).isEqualTo(2);
    }

    @Test
    void theExplanationReportsTheThresholdOfTheChoiceInContext() {
        Detection detection = matcher.explain(index,
                List.of(new MessageText("m0", "Wallet lost, card lost somewhere. Card please.")));
        List<Explanation.Candidate> candidates = detection.explanations().get(0).candidates();
        // the fired tracker, and the one "Card please." alone would have fired, now not chosen
        assertThat(candidates).extracting(Explanation.Candidate::trackerId, Explanation.Candidate::fired,
                Explanation.Candidate::reason)
                .contains(tuple("lost", true, Explanation.ABOVE_THRESHOLD), tuple("pin", false, Explanation.NOT_CHOSEN));
        // the threshold shown is the one that decided: the tracker's plus the penalty for the probability in context
        Explanation.Candidate lost = candidates.stream().filter(c -> c.trackerId().equals("lost")).findFirst()
                .orElseThrow();
        assertThat(lost.threshold()).isGreaterThanOrEqualTo(0.55).isLessThanOrEqualTo(lost.score());
        assertThat(detection.hits()).extracting(TrackerHit::trackerId).containsOnly("lost");
    }
}
