package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentrackers.account.AccountId;
import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.matching.Aggregation;
import io.opentrackers.matching.BagOfWordsModel;
import io.opentrackers.matching.EmbeddingModelDecorator;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.SimilarityKernel;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A big detector call is embedded and scored in overlapping chunks, and a text repeated within the call is embedded
 * once (DetectionService). Neither may change what the call answers: the same hits, with the same scores, in message
 * order, as one pass of the matcher over all messages.
 */
class DetectionServiceTest {

    private static final List<TrackerDefinition> TRACKERS = List.of(
            new TrackerDefinition("billing", "Billing", List.of("pay my bill", "invoice is wrong",
                    "charged twice", "refund my payment", "billing address"), null, 1),
            new TrackerDefinition("cancel", "Cancel", List.of("cancel my subscription", "close my account",
                    "stop the membership", "end my contract", "I want to quit"), null, 1));

    /** Templates that repeat across the call (and within each chunk), some of two sentences sharing one. */
    private static final List<String> TEMPLATES = List.of("Hello there. I want to pay the bill please.",
            "The invoice is wrong again.", "Thank you.", "Please cancel the subscription today.",
            "Hello there. Can you close the account?", "What time is it?", "I was charged twice for this.",
            "Thank you. I want to quit.", "Nothing else, goodbye.", "My billing address changed.",
            "Could you refund the payment?", "Let me end my contract now.");

    private static final AccountId ACCOUNT = new AccountId(UUID.randomUUID());

    private final DetectionService service;
    private final VocabularyIndex index;
    private final MatchingPolicy policy;
    private final RecordingModel model = new RecordingModel();
    private final ThreadPoolTaskExecutor scorers = DetectionConfiguration.scoringExecutor(2);

    DetectionServiceTest() {
        // the classifier decides, so it reads each span in its whole message
        MatchingProperties properties = new MatchingProperties(Aggregation.CLASSIFIER, 0.3, null, null, null, null,
                1000, 150000, 20000, 100000);
        BagOfWordsModel vocabularyModel = new BagOfWordsModel();
        List<VocabularyIndex.EmbeddedTracker> embedded = TRACKERS.stream().map(t ->
                new VocabularyIndex.EmbeddedTracker(t, vocabularyModel.embed(t.vocabulary()))).toList();
        index = new VocabularyIndex(embedded, SimilarityKernel.portable());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        IndexCache indexes = new IndexCache((account, trackers) -> index, properties.indexCachePhrases(), meters);
        ModelDescriptor descriptor = new ModelDescriptor(model.id(), ModelDescriptor.Pooling.MEAN, "", 256, null);
        policy = properties.policyFor(descriptor);
        scorers.initialize();
        service = new DetectionService(model, new RememberedVectors(model, 1 << 20, Runnable::run), descriptor, indexes, properties,
                meters, scorers);
    }

    @AfterEach
    void close() {
        scorers.shutdown();
    }

    private static List<MessageText> messages(int count) {
        List<MessageText> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // a stride that is not a divisor of the chunk, so that chunks differ in content
            messages.add(new MessageText("m" + i, TEMPLATES.get((i * 5) % TEMPLATES.size())));
        }
        return messages;
    }

    @Test
    void aCallOfSeveralChunksAnswersWhatOnePassAnswersInMessageOrder() {
        List<MessageText> messages = messages(4 * DetectionService.CHUNK + 17);
        List<TrackerHit> onePass = new TrackerMatcher(new BagOfWordsModel(), policy).match(index, messages);

        List<TrackerHit> detected = service.detect(ACCOUNT, TRACKERS, messages);

        assertThat(detected).isEqualTo(onePass);
        assertThat(detected).extracting(TrackerHit::messageId).as("hits in every chunk, the last one too")
                .contains("m0", "m" + (messages.size() - 1));
        assertThat(detected).extracting(TrackerHit::trackerId).contains("billing", "cancel");
    }

    /**
     * A job batch still running while the service shuts down (its scoring threads stopped first) is scored on its
     * own thread and answers in full, rather than waiting for ever for a chunk nobody scores.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCallMadeWhileTheScoringThreadsShutDownStillAnswersInFull() {
        List<MessageText> messages = messages(3 * DetectionService.CHUNK + 5);
        List<TrackerHit> onePass = new TrackerMatcher(new BagOfWordsModel(), policy).match(index, messages);
        scorers.shutdown();

        assertThat(service.detect(ACCOUNT, TRACKERS, messages)).isEqualTo(onePass).isNotEmpty();
    }

    @Test
    void aTextRepeatedWithinACallIsEmbeddedOnce() {
        List<MessageText> messages = messages(3 * DetectionService.CHUNK);
        List<String> onePass = new ArrayList<>();
        new TrackerMatcher(new RecordingModel(onePass), policy).embed(messages);

        service.detect(ACCOUNT, TRACKERS, messages);

        assertThat(model.texts).doesNotHaveDuplicates();
        assertThat(new HashSet<>(model.texts)).isEqualTo(new HashSet<>(onePass));
        assertThat(model.texts.size()).as("fewer runs than one per span").isLessThan(onePass.size() / 4);
    }

    /**
     * An account's conversations repeat sentences ("Thank you."): one the account sent in an earlier call, a job's or
     * a stream's, is not run again while it is remembered, and is decided exactly as the first time.
     */
    @Test
    void aSentenceTheAccountSentInAnEarlierCallIsNotEmbeddedAgainAndDecidedAlike() {
        List<MessageText> first = List.of(new MessageText("a1", "Thank you. I want to quit."),
                new MessageText("a2", "The invoice is wrong again."));
        List<MessageText> later = List.of(new MessageText("b1", "Thank you."),
                new MessageText("b2", "The invoice is wrong again."), new MessageText("b3", "What time is it?"));
        List<TrackerHit> firstHits = service.detect(ACCOUNT, TRACKERS, first);
        int before = model.texts.size();

        List<TrackerHit> laterHits = service.detect(ACCOUNT, TRACKERS, later);

        assertThat(model.texts.subList(before, model.texts.size())).as("only the sentence never sent before")
                .containsExactly("What time is it?");
        assertThat(laterHits).filteredOn(hit -> hit.messageId().equals("b2"))
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("messageId")
                .isEqualTo(firstHits.stream().filter(hit -> hit.messageId().equals("a2")).toList())
                .isNotEmpty();
        assertThat(service.detect(new AccountId(UUID.randomUUID()), TRACKERS, later)).as("another account")
                .isEqualTo(laterHits);
        assertThat(model.texts.subList(before, model.texts.size())).as("another account's call runs them all")
                .containsExactlyInAnyOrder("What time is it?", "Thank you.", "The invoice is wrong again.",
                        "What time is it?");
    }

    /**
     * A stream detects the sentences of one message in separate calls, each read in its whole message: the message
     * is embedded by the first call only, whichever call that is.
     */
    @Test
    void theSentencesOfOneMessageInSeparateCallsEmbedTheMessageOnce() {
        String whole = "Please cancel the subscription today. I was charged twice for this.";
        service.detect(ACCOUNT, TRACKERS,
                List.of(new MessageText("s1", "Please cancel the subscription today.", null, whole)));
        service.detect(ACCOUNT, TRACKERS,
                List.of(new MessageText("s2", "I was charged twice for this.", null, whole)));

        assertThat(model.texts).containsOnlyOnce(whole)
                .contains("Please cancel the subscription today.", "I was charged twice for this.");
    }

    /**
     * A message another account sent moments ago is embedded again, with the same result: were its vector shared, the
     * quicker answer would confirm to this account that someone sent exactly these words (docs/security.md).
     */
    @Test
    void aMessageAnotherAccountSentIsEmbeddedAgainAndDecidedAlike() {
        String whole = "Please cancel the subscription today. I was charged twice for this.";
        MessageText sentence = new MessageText("s1", "Please cancel the subscription today.", null, whole);
        AccountId other = new AccountId(UUID.randomUUID());

        List<TrackerHit> mine = service.detect(ACCOUNT, TRACKERS, List.of(sentence));
        List<TrackerHit> theirs = service.detect(other, TRACKERS, List.of(sentence));
        List<TrackerHit> mineAgain = service.detect(ACCOUNT, TRACKERS, List.of(sentence));

        assertThat(model.texts.stream().filter(whole::equals)).as("once per account").hasSize(2);
        assertThat(theirs).isEqualTo(mine).isEqualTo(mineAgain).isNotEmpty();
    }

    /** Where no classifier reads the context (here MAX decides), no whole message is embedded at all. */
    @Test
    void withoutAClassifierNoWholeMessageIsEmbedded() {
        MatchingProperties max = new MatchingProperties(Aggregation.MAX, 0.3, null, null, null, null, 1000, 150000,
                20000, 100000);
        RecordingModel recording = new RecordingModel();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelDescriptor descriptor = new ModelDescriptor(recording.id(), ModelDescriptor.Pooling.MEAN, "", 256, null);
        DetectionService maxService = new DetectionService(recording, new RememberedVectors(recording, 1 << 20, Runnable::run), descriptor,
                new IndexCache((account, trackers) -> index, max.indexCachePhrases(), meters), max, meters, scorers);
        maxService.detect(ACCOUNT, TRACKERS,
                List.of(new MessageText("m", "Hello there. I want to pay the bill please.")));
        assertThat(recording.texts).containsExactlyInAnyOrder("Hello there.", "I want to pay the bill please.");
    }

    @Test
    void aSmallCallIsDecidedAsBefore() {
        List<MessageText> one = List.of(new MessageText("a", "Please cancel the subscription today."));
        assertThat(service.detect(ACCOUNT, TRACKERS, one))
                .isEqualTo(new TrackerMatcher(new BagOfWordsModel(), policy).match(index, one))
                .isNotEmpty();
        assertThat(service.detect(ACCOUNT, TRACKERS, List.of())).isEmpty();
    }

    /** The bag-of-words model, recording every text it embeds. */
    private static final class RecordingModel extends EmbeddingModelDecorator {

        private final List<String> texts;

        RecordingModel() {
            this(new ArrayList<>());
        }

        RecordingModel(List<String> texts) {
            super(new BagOfWordsModel());
            this.texts = texts;
        }

        @Override
        public synchronized float[][] embed(List<String> batch) {
            texts.addAll(batch);
            return model.embed(batch);
        }
    }
}
