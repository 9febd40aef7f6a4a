package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * A tracker as the matcher sees it.
 *
 * @param id          the managed tracker's id, or an id assigned to an inline tracker for one conversation
 * @param version     changes whenever the vocabulary, sensitivity or conditions change (0 for inline trackers), so
 *                    cached vocabulary embeddings and indexes can be reused safely
 * @param sensitivity optional per-tracker sensitivity; null means the calibrated default
 * @param conditions  speaker, window and excluded phrases; {@link TrackerConditions#NONE} when absent
 */
public record TrackerDefinition(String id, String name, List<String> vocabulary, Double sensitivity, long version,
                                TrackerConditions conditions) {

    public TrackerDefinition {
        vocabulary = List.copyOf(vocabulary);
        conditions = conditions == null ? TrackerConditions.NONE : conditions;
    }

    /** A tracker without conditions. */
    public TrackerDefinition(String id, String name, List<String> vocabulary, Double sensitivity, long version) {
        this(id, name, vocabulary, sensitivity, version, TrackerConditions.NONE);
    }

    /** The phrases whose vectors the matcher needs: the vocabulary, then the excluded phrases. */
    public List<String> embeddedPhrases() {
        if (conditions.exclude().isEmpty()) {
            return vocabulary;
        }
        List<String> phrases = new ArrayList<>(vocabulary);
        phrases.addAll(conditions.exclude());
        return phrases;
    }
}
