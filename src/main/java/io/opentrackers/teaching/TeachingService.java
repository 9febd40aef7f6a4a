package io.opentrackers.teaching;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.ConversationService.AccountSentence;
import io.opentrackers.detection.RememberedVectors;
import io.opentrackers.detection.TrackerIndexes;
import io.opentrackers.matching.EmbeddedMessages;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.LabelledExample;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.OncePerCallModel;
import io.opentrackers.matching.QualityEstimate;
import io.opentrackers.matching.SuggestionPicker;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import io.opentrackers.matching.VocabularyIndex.EmbeddedTracker;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerRevisions;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Suggestions and quality estimates, on the very index and policy detection uses for the account's trackers
 * ({@link TrackerIndexes}), so they describe the decision {@code /v1/match} makes now.
 */
@Service
class TeachingService {

    static final String ESTIMATES_MADE = "trackers.quality.estimates";

    /** A suggested sentence as the API shows it. */
    record Suggestion(@Schema(requiredMode = REQUIRED) String conversationId,
            @Schema(requiredMode = REQUIRED) String messageId, @Schema(requiredMode = REQUIRED) String text,
            @Schema(requiredMode = REQUIRED) double score, @Schema(requiredMode = REQUIRED) boolean fired) {
    }

    private final TrackerRevisions revisions;
    private final TrackerCatalog catalog;
    private final TrackerIndexes indexes;
    private final SentenceVectors sentences;
    private final ConversationService conversations;
    /**
     * Vectors of the windows, clauses and whole messages of examples and suggested sentences, kept between requests:
     * 10,000 texts, about 15 MB.
     */
    private final RememberedVectors remembered;
    private final EmbeddingModel model;
    private final QualityEstimates estimates;
    private final Counter estimatesMade;

    TeachingService(TrackerRevisions revisions, TrackerCatalog catalog, TrackerIndexes indexes,
            SentenceVectors sentences, ConversationService conversations, EmbeddingModel model,
            RememberedVectors remembered,
            QualityEstimates estimates, MeterRegistry meters) {
        this.revisions = revisions;
        this.catalog = catalog;
        this.indexes = indexes;
        this.sentences = sentences;
        this.conversations = conversations;
        this.remembered = remembered;
        this.model = model;
        this.estimates = estimates;
        this.estimatesMade = Counter.builder(ESTIMATES_MADE)
                .description("Tracker quality estimates computed, not answered from memory (five refits each)")
                .register(meters);
    }

    List<Suggestion> suggestions(AccountId account, String trackerId, int limit) {
        List<TrackerDefinition> trackers = trackersWith(account, trackerId);
        int position = position(trackers, trackerId);
        TrackerDefinition tracker = trackers.get(position);
        VocabularyIndex index = indexes.indexOf(account, trackers);
        EmbeddedTracker vectors = indexes.vectorsOf(account, List.of(tracker)).get(0);
        List<float[]> references = new ArrayList<>(List.of(vectors.phraseVectors()));
        for (int i = 0; i < tracker.examples().size(); i++) {
            if (tracker.examples().get(i).match()) {
                references.add(vectors.exampleVectors()[i]);
            }
        }
        Set<String> labelled = new HashSet<>();
        tracker.examples().stream().map(LabelledExample::text).map(SentenceVectors::normalise).forEach(labelled::add);
        SentenceVectors.Sentences stored = sentences.of(account);
        List<SuggestionPicker.Suggestion> picked = SuggestionPicker.pick(index, position, indexes.policy(),
                stored.texts(), stored.vectors(), stored.withTextIn(labelled), references.toArray(new float[0][]),
                vectors.exampleVectors(), limit);
        List<AccountSentence> chosen = picked.stream().map(s -> stored.sentences().get(s.candidate())).toList();
        Map<String, float[]> embedded = new HashMap<>();
        picked.forEach(s -> embedded.put(stored.sentences().get(s.candidate()).text(),
                stored.vectors().row(s.candidate())));
        // read now: a sentence whose conversation was deleted since the set above was read is not among them
        Map<String, MessageText> current = chosen.isEmpty() ? Map.of() : conversations.asDetectedNow(account, chosen);
        Set<String> firing = firingNow(account, index, trackerId, current, embedded);
        List<Suggestion> suggestions = new ArrayList<>(picked.size());
        for (int i = 0; i < picked.size(); i++) {
            AccountSentence sentence = chosen.get(i);
            if (current.containsKey(sentence.messageId())) {
                suggestions.add(new Suggestion(sentence.conversationId(), sentence.messageId(), sentence.text(),
                        Math.round(picked.get(i).score() * 10_000) / 10_000.0,
                        firing.contains(sentence.messageId())));
            }
        }
        return suggestions;
    }

    /**
     * The chosen sentences the tracker fires on if their conversations were processed now: decided as the detector
     * decides them (the same index and matcher), in their whole messages, with their word windows and clauses and
     * their conversations' speaker and window conditions. The picker chose them from the sentences' stored vectors
     * alone (no context, no windows: too costly for every stored sentence), which can differ for a long sentence or
     * one whose message is about something else; what a suggestion says it does must be what the conversation page
     * and a new job show.
     */
    private Set<String> firingNow(AccountId account, VocabularyIndex index, String trackerId,
            Map<String, MessageText> chosen, Map<String, float[]> embedded) {
        Set<String> firing = new HashSet<>();
        if (chosen.isEmpty()) {
            return firing;
        }
        List<MessageText> messages = List.copyOf(chosen.values());
        for (TrackerHit hit : TrackerMatcher.match(index, embed(account, index, messages, embedded),
                indexes.policy())) {
            if (hit.trackerId().equals(trackerId)) {
                firing.add(hit.messageId());
            }
        }
        return firing;
    }

    /**
     * Each example is decided as the detector decides a message of its text (its sentences, word windows, clauses,
     * the whole text as context), so the estimate describes the decision jobs and {@code /v1/match} make.
     */
    QualityEstimate quality(AccountId account, String trackerId) {
        List<TrackerDefinition> trackers = trackersWith(account, trackerId);
        int position = position(trackers, trackerId);
        return estimates.of(account, trackerId, trackers, model.id(), () -> estimate(account, trackers, position));
    }

    private QualityEstimate estimate(AccountId account, List<TrackerDefinition> trackers, int position) {
        estimatesMade.increment();
        TrackerDefinition tracker = trackers.get(position);
        VocabularyIndex index = indexes.indexOf(account, trackers);
        float[][] stored = indexes.vectorsOf(account, List.of(tracker)).get(0).exampleVectors();
        Map<String, float[]> embedded = new HashMap<>();
        for (int i = 0; i < stored.length; i++) {
            embedded.put(tracker.examples().get(i).text(), stored[i]);
        }
        return QualityEstimate.of(index, position, indexes.policy(),
                embed(account, index, QualityEstimate.exampleMessages(tracker), embedded));
    }

    /**
     * Embeds messages as the detector does for {@code index}, taking the vectors at hand (stored sentence and example
     * vectors, by text) and remembering the rest across the account's requests: the next suggestion or quality
     * request for the tracker meets mostly the same sentences again and embeds only what is new. Every text is its own
     * model run, so neither changes a vector.
     */
    private EmbeddedMessages embed(AccountId account, VocabularyIndex index, List<MessageText> messages,
            Map<String, float[]> known) {
        EmbeddingModel accountModel = remembered.of(account);
        return new TrackerMatcher(accountModel, indexes.policy())
                .through(new OncePerCallModel(accountModel, known), account).embed(index, messages);
    }

    /** The account's trackers (the tracker's competitors in the decision); 404 when the tracker is not one. */
    private List<TrackerDefinition> trackersWith(AccountId account, String trackerId) {
        revisions.requireExists(account, trackerId);
        return catalog.allOf(account);
    }

    private static int position(List<TrackerDefinition> trackers, String trackerId) {
        for (int i = 0; i < trackers.size(); i++) {
            if (trackers.get(i).id().equals(trackerId)) {
                return i;
            }
        }
        // deleted between the check and the read
        throw new io.opentrackers.common.NotFoundException("No tracker with id '" + trackerId + "'");
    }
}
