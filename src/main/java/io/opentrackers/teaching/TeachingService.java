package io.opentrackers.teaching;

import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.ConversationService.AccountSentence;
import io.opentrackers.detection.TrackerIndexes;
import io.opentrackers.matching.LabelledExample;
import io.opentrackers.matching.QualityEstimate;
import io.opentrackers.matching.SuggestionPicker;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.VocabularyIndex;
import io.opentrackers.matching.VocabularyIndex.EmbeddedTracker;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerRevisions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Suggestions and quality estimates, on the very index and policy detection uses for the account's trackers
 * ({@link TrackerIndexes}), so they describe the decision {@code /v1/match} makes now.
 */
@Service
class TeachingService {

    /** A suggested sentence as the API shows it. */
    record Suggestion(String conversationId, String messageId, String text, double score, boolean fired) {
    }

    private final TrackerRevisions revisions;
    private final TrackerCatalog catalog;
    private final TrackerIndexes indexes;
    private final SentenceVectors sentences;

    TeachingService(TrackerRevisions revisions, TrackerCatalog catalog, TrackerIndexes indexes,
            SentenceVectors sentences) {
        this.revisions = revisions;
        this.catalog = catalog;
        this.indexes = indexes;
        this.sentences = sentences;
    }

    List<Suggestion> suggestions(AccountId account, String trackerId, int limit) {
        List<TrackerDefinition> trackers = trackersWith(account, trackerId);
        int position = position(trackers, trackerId);
        TrackerDefinition tracker = trackers.get(position);
        VocabularyIndex index = indexes.indexOf(trackers);
        EmbeddedTracker vectors = indexes.vectorsOf(List.of(tracker)).get(0);
        List<float[]> references = new ArrayList<>(List.of(vectors.phraseVectors()));
        for (int i = 0; i < tracker.examples().size(); i++) {
            if (tracker.examples().get(i).match()) {
                references.add(vectors.exampleVectors()[i]);
            }
        }
        Set<String> labelled = new HashSet<>();
        tracker.examples().stream().map(LabelledExample::text).map(SentenceVectors::normalise).forEach(labelled::add);
        SentenceVectors.Sentences stored = sentences.of(account);
        return SuggestionPicker.pick(index, position, indexes.policy(), stored.texts(), stored.vectors(),
                stored.withTextIn(labelled), references.toArray(new float[0][]), vectors.exampleVectors(), limit)
                .stream()
                .map(s -> {
                    AccountSentence sentence = stored.sentences().get(s.candidate());
                    return new Suggestion(sentence.conversationId(), sentence.messageId(), sentence.text(),
                            Math.round(s.score() * 10_000) / 10_000.0, s.fired());
                }).toList();
    }

    QualityEstimate quality(AccountId account, String trackerId) {
        List<TrackerDefinition> trackers = trackersWith(account, trackerId);
        int position = position(trackers, trackerId);
        return QualityEstimate.of(indexes.indexOf(trackers), position, indexes.policy());
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
