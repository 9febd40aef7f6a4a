package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Speaker, window and exclude conditions, and explanations, with the bag-of-words model (cosine = shared words /
 * sqrt(words(a) * words(b))).
 */
class TrackerConditionsTest {

    private static final MatchingPolicy POLICY = new MatchingPolicy(Aggregation.MAX, 0.55, 0.05, 0.1);
    private static final List<String> BILLING = List.of("pay my bill", "invoice is wrong");
    private final BagOfWordsModel model = new BagOfWordsModel();

    private static TrackerDefinition tracker(String id, TrackerConditions conditions, List<String> vocabulary) {
        return new TrackerDefinition(id, id + "-name", vocabulary, null, 1, conditions);
    }

    private static TrackerConditions speaker(String speaker) {
        return new TrackerConditions(speaker, null, List.of());
    }

    private static TrackerConditions window(String anchor, Integer seconds, Integer messages) {
        return new TrackerConditions("any", new TrackerConditions.Window(anchor, seconds, messages), List.of());
    }

    private static TrackerConditions exclude(String... phrases) {
        return new TrackerConditions("any", null, List.of(phrases));
    }

    private VocabularyIndex index(List<TrackerDefinition> trackers) {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            embedded.add(VocabularyIndex.EmbeddedTracker.split(tracker, model.embed(tracker.embeddedPhrases())));
        }
        return new VocabularyIndex(embedded);
    }

    private List<TrackerHit> match(MatchingPolicy policy, List<TrackerDefinition> trackers, List<MessageText> messages) {
        return new TrackerMatcher(model, policy).match(index(trackers), messages);
    }

    /** Messages m0, m1 … with these roles and no times, as one complete conversation. */
    private static List<MessageText> conversation(List<String> roles, String... texts) {
        List<ConversationTimeline.Turn> turns = roles.stream()
                .map(role -> new ConversationTimeline.Turn(role, null, null)).toList();
        List<MessageContext> contexts = ConversationTimeline.contexts(turns, true);
        List<MessageText> messages = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            messages.add(new MessageText("m" + i, texts[i], contexts.get(i)));
        }
        return messages;
    }

    private static Set<String> hitPairs(List<TrackerHit> hits) {
        Set<String> pairs = new HashSet<>();
        hits.forEach(hit -> pairs.add(hit.trackerId() + "|" + hit.messageId()));
        return pairs;
    }

    @Test
    void aSpeakerConditionKeepsOnlyMessagesOfThatRoleAndAMessageWithoutRoleIsNeither() {
        List<MessageText> messages = conversation(java.util.Arrays.asList("agent", "customer", null),
                "Pay my bill.", "Pay my bill.", "Pay my bill.");
        List<TrackerDefinition> trackers = List.of(tracker("customer", speaker("customer"), BILLING),
                tracker("agent", speaker("agent"), BILLING), tracker("any", TrackerConditions.NONE, BILLING));

        assertThat(hitPairs(match(POLICY, trackers, messages))).containsExactlyInAnyOrder(
                "agent|m0", "customer|m1", "any|m0", "any|m1", "any|m2");
    }

    @Test
    void messageWindowsCountMessagesFromTheStartOrTheEnd() {
        List<MessageText> messages = conversation(java.util.Collections.nCopies(5, null),
                "pay my bill", "pay my bill", "pay my bill", "pay my bill", "pay my bill");
        List<TrackerDefinition> trackers = List.of(tracker("first2", window("start", null, 2), BILLING),
                tracker("last1", window("end", null, 1), BILLING));

        assertThat(hitPairs(match(POLICY, trackers, messages)))
                .containsExactlyInAnyOrder("first2|m0", "first2|m1", "last1|m4");
    }

    @Test
    void anEndWindowWaitsForTheEndOfTheConversation() {
        List<MessageContext> going = ConversationTimeline.contexts(List.of(
                new ConversationTimeline.Turn(null, null, null), new ConversationTimeline.Turn(null, null, null)), false);
        TrackerConditions lastMessage = window("end", null, 1);
        TrackerConditions firstMessage = window("start", null, 1);

        assertThat(lastMessage.blocks(going.get(1))).isEqualTo(TrackerConditions.WINDOW);
        assertThat(firstMessage.blocks(going.get(0))).isNull();
        assertThat(going.get(1).count()).isEqualTo(-1);
    }

    @Test
    void secondsWindowsReadDurationTimesAndNeverFireWithoutThem() {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        List<ConversationTimeline.Turn> turns = List.of(
                new ConversationTimeline.Turn(null, t0, t0.plusSeconds(10)),
                new ConversationTimeline.Turn(null, t0.plusSeconds(20), t0.plusSeconds(40)),
                new ConversationTimeline.Turn(null, null, null),
                new ConversationTimeline.Turn(null, t0.plusSeconds(100), t0.plusSeconds(120)));
        List<MessageContext> contexts = ConversationTimeline.contexts(turns, true);
        assertThat(contexts.get(1).sinceStart()).isCloseTo(20.0, within(1e-9));
        assertThat(contexts.get(1).untilEnd()).isCloseTo(80.0, within(1e-9));
        assertThat(contexts.get(2).sinceStart()).isNull();

        TrackerConditions first30 = window("start", 30, null);
        TrackerConditions last30 = window("end", 30, null);
        assertThat(contexts.stream().map(first30::blocks).toList())
                .containsExactly(null, null, TrackerConditions.WINDOW, TrackerConditions.WINDOW);
        assertThat(contexts.stream().map(last30::blocks).toList())
                .containsExactly(TrackerConditions.WINDOW, TrackerConditions.WINDOW, TrackerConditions.WINDOW, null);

        List<TrackerDefinition> trackers = List.of(tracker("first30", first30, BILLING));
        assertThat(ConversationTimeline.untimedWarnings(trackers, turns)).singleElement().asString()
                .contains("first 30 seconds", "1 of the conversation's 4 messages have no duration times");
        assertThat(ConversationTimeline.untimedWarnings(trackers, turns.subList(0, 2))).isEmpty();
    }

    @Test
    void anExcludedPhraseSuppressesItsSentenceLiterallyButNotTheOtherSentences() {
        String text = "I am not planning to switch provider. Maybe switch provider next year.";
        List<TrackerDefinition> trackers = List.of(tracker("switch", exclude("not planning to switch"),
                List.of("switch provider", "change supplier")));

        List<TrackerHit> hits = match(POLICY.withThreshold(0.99), trackers,
                List.of(new MessageText("m0", text)));

        // the literal occurrence in the excluded sentence is dropped; the one in the next sentence is the hit
        assertThat(hits).singleElement().satisfies(hit -> {
            assertThat(hit.phrase()).isEqualTo("switch provider");
            assertThat(hit.offset()).isEqualTo(text.indexOf("switch provider", text.indexOf(". ")));
        });
        assertThat(match(POLICY.withThreshold(0.99), trackers,
                List.of(new MessageText("m0", "I am not planning to switch provider.")))).isEmpty();
    }

    @Test
    void anExcludedPhraseSuppressesSentencesCloseToItInMeaning() {
        List<TrackerDefinition> trackers = List.of(tracker("billing", exclude("never pay my bill"), BILLING));
        // "never pay the bill" vs "never pay my bill": 3 / sqrt(4 * 4) = 0.75 ≥ 0.55; vs "pay my bill" 2 / sqrt(12)
        List<TrackerHit> hits = match(POLICY, trackers, List.of(new MessageText("m0", "never pay the bill"),
                new MessageText("m1", "pay the bill please")));

        assertThat(hitPairs(hits)).containsExactly("billing|m1");
    }

    @Test
    void excludingPhrasesOfOneTrackerLeavesTheOtherTrackersHitsAsTheyWere() {
        List<MessageText> messages = List.of(new MessageText("m0", "never pay the bill"),
                new MessageText("m1", "the invoice is wrong again"), new MessageText("m2", "lost my card"));
        TrackerDefinition cards = tracker("cards", TrackerConditions.NONE, List.of("lost my card", "card is lost"));
        List<TrackerHit> without = match(POLICY, List.of(tracker("billing", TrackerConditions.NONE, BILLING), cards),
                messages);
        List<TrackerHit> with = match(POLICY, List.of(tracker("billing", exclude("never pay my bill"), BILLING), cards),
                messages);

        assertThat(with.stream().filter(h -> h.trackerId().equals("cards")).toList())
                .isEqualTo(without.stream().filter(h -> h.trackerId().equals("cards")).toList());
        assertThat(hitPairs(without)).contains("billing|m0");
        assertThat(hitPairs(with)).doesNotContain("billing|m0").contains("billing|m1");
    }

    @Test
    void explanationsAreTheDecisionsThatMadeTheHits() {
        List<TrackerDefinition> trackers = List.of(
                tracker("billing", TrackerConditions.NONE, BILLING),
                tracker("agent-billing", speaker("agent"), BILLING),
                tracker("early", window("start", null, 1), List.of("lost my card", "card is lost")),
                tracker("quiet", exclude("never pay my bill"), List.of("pay the bill", "bill paid")),
                tracker("weather", TrackerConditions.NONE, List.of("sunny weather today", "rain tomorrow")));
        List<MessageText> messages = conversation(java.util.Arrays.asList("customer", "customer", "agent"),
                "hello there", "pay my bill. never pay my bill", "my card is lost");

        Detection detection = new TrackerMatcher(model, POLICY).explain(index(trackers), messages);

        assertThat(detection.hits()).isEqualTo(match(POLICY, trackers, messages));
        assertThat(detection.explanations()).extracting(Explanation::messageId).containsExactly("m0", "m1", "m2");
        Set<String> fired = new HashSet<>();
        for (Explanation explanation : detection.explanations()) {
            assertThat(explanation.candidates()).hasSizeGreaterThanOrEqualTo(3);
            for (Explanation.Candidate candidate : explanation.candidates()) {
                if (candidate.fired()) {
                    fired.add(candidate.trackerId() + "|" + explanation.messageId());
                    assertThat(candidate.score()).isGreaterThanOrEqualTo(candidate.threshold());
                }
            }
        }
        // every fired candidate is a hit, and every tracker that hit a message is listed as fired on it
        assertThat(fired).isEqualTo(hitPairs(detection.hits()));
        assertThat(reason(detection, "m1", "agent-billing")).isEqualTo(TrackerConditions.SPEAKER);
        assertThat(reason(detection, "m1", "billing")).isEqualTo(Explanation.LITERAL);
        assertThat(reason(detection, "m2", "early")).isEqualTo(TrackerConditions.WINDOW);
        assertThat(reason(detection, "m0", "billing")).isEqualTo(Explanation.BELOW_THRESHOLD);
        assertThat(reason(detection, "m1", "quiet")).isEqualTo(Conditions.EXCLUDED);
    }

    @Test
    void withTheClassifierTheReportedThresholdIncludesTheUncertaintyPenalty() {
        MatchingPolicy policy = new MatchingPolicy(Aggregation.CLASSIFIER, 0.3, 0.0, 0.1, 0.0, 0.1);
        List<TrackerDefinition> trackers = List.of(
                tracker("lost", TrackerConditions.NONE, List.of("i lost my card", "lost card", "card was lost",
                        "lost it somewhere", "my wallet is lost")),
                tracker("pin", TrackerConditions.NONE, List.of("change my pin", "forgot my pin", "pin code blocked",
                        "please my card")));
        VocabularyIndex index = index(trackers);
        List<MessageText> messages = List.of(new MessageText("m0", "lost my card please"));

        Detection detection = new TrackerMatcher(model, policy).explain(index, messages);

        Explanation.Candidate lost = candidate(detection, "m0", "lost");
        Explanation.Candidate pin = candidate(detection, "m0", "pin");
        assertThat(lost.fired()).isTrue();
        assertThat(pin.reason()).isEqualTo(Explanation.NOT_CHOSEN);
        // which tracker the classifier gave the words to, so "another tracker was chosen" is not a riddle
        assertThat(pin.chosenInstead()).isEqualTo(new Explanation.ChosenTracker("lost", "lost-name"));
        assertThat(lost.chosenInstead()).as("only with not-chosen").isNull();
        assertThat(pin.threshold()).isEqualTo(0.3);
        double p = index.classifier().choose(model.embed(List.of("lost my card please"))[0]).probability();
        assertThat(lost.threshold()).isCloseTo(0.3 + 0.1 * Math.log(1 / p), within(1e-4)).isGreaterThan(0.3);
        assertThat(hitPairs(detection.hits())).containsExactly("lost|m0");
    }

    /**
     * With MAX, a tracker above its threshold but beyond the margin below the span's best names that best tracker,
     * also when a condition kept the best one from firing (then nothing fired on the words at all).
     */
    @Test
    void aTrackerBeyondTheMarginNamesTheOneThatScoredBest() {
        List<TrackerDefinition> trackers = List.of(
                tracker("card", speaker("agent"), List.of("cancel my card", "card is blocked")),
                tracker("order", TrackerConditions.NONE, List.of("cancel my order", "order is late")));
        // card 3 / sqrt(12) = 0.866, order 2 / sqrt(12) = 0.577: both above 0.55, order beyond the 0.05 margin
        List<MessageText> messages = conversation(List.of("agent", "customer"),
                "please cancel my card", "please cancel my card");

        Detection detection = new TrackerMatcher(model, POLICY).explain(index(trackers), messages);

        Explanation.ChosenTracker card = new Explanation.ChosenTracker("card", "card-name");
        assertThat(hitPairs(detection.hits())).containsExactly("card|m0");
        assertThat(candidate(detection, "m0", "order").reason()).isEqualTo(Explanation.NOT_CHOSEN);
        assertThat(candidate(detection, "m0", "order").chosenInstead()).isEqualTo(card);
        assertThat(candidate(detection, "m0", "card").chosenInstead()).isNull();
        // the customer's words went to card too, which its speaker condition then stopped
        assertThat(candidate(detection, "m1", "card").reason()).isEqualTo(TrackerConditions.SPEAKER);
        assertThat(candidate(detection, "m1", "card").chosenInstead()).isNull();
        assertThat(candidate(detection, "m1", "order").reason()).isEqualTo(Explanation.NOT_CHOSEN);
        assertThat(candidate(detection, "m1", "order").chosenInstead()).isEqualTo(card);
    }

    private static String reason(Detection detection, String messageId, String trackerId) {
        return candidate(detection, messageId, trackerId).reason();
    }

    private static Explanation.Candidate candidate(Detection detection, String messageId, String trackerId) {
        return detection.explanations().stream().filter(e -> e.messageId().equals(messageId)).findFirst()
                .orElseThrow().candidates().stream().filter(c -> c.trackerId().equals(trackerId)).findFirst()
                .orElseThrow(() -> new AssertionError(trackerId + " not listed for " + messageId + ": " + detection));
    }
}
