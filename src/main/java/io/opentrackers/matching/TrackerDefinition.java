package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * A tracker as the matcher sees it.
 *
 * @param id          the managed tracker's id, or an id assigned to an inline tracker for one conversation
 * @param version     changes whenever the vocabulary, sensitivity, conditions or examples change (0 for inline
 *                    trackers), so cached vocabulary embeddings and indexes can be reused safely
 * @param sensitivity optional per-tracker sensitivity; null means the calibrated default
 * @param conditions  speaker, window and excluded phrases; {@link TrackerConditions#NONE} when absent
 * @param examples    the labelled examples of a managed tracker (teaching), empty for most trackers and for every
 *                    inline one; a tracker without examples decides exactly as before examples existed
 */
public record TrackerDefinition(String id, String name, List<String> vocabulary, Double sensitivity, long version,
                                TrackerConditions conditions, List<LabelledExample> examples) {

    public TrackerDefinition {
        vocabulary = List.copyOf(vocabulary);
        conditions = conditions == null ? TrackerConditions.NONE : conditions;
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** A tracker without conditions or examples. */
    public TrackerDefinition(String id, String name, List<String> vocabulary, Double sensitivity, long version) {
        this(id, name, vocabulary, sensitivity, version, TrackerConditions.NONE, List.of());
    }

    /** A tracker without examples. */
    public TrackerDefinition(String id, String name, List<String> vocabulary, Double sensitivity, long version,
                             TrackerConditions conditions) {
        this(id, name, vocabulary, sensitivity, version, conditions, List.of());
    }

    /** The same tracker with these labelled examples. */
    public TrackerDefinition withExamples(List<LabelledExample> newExamples) {
        return new TrackerDefinition(id, name, vocabulary, sensitivity, version, conditions, newExamples);
    }

    /**
     * The texts whose vectors the matcher needs, in this order: the vocabulary, the excluded phrases, the labelled
     * examples' texts ({@link VocabularyIndex.EmbeddedTracker#split} reads them back in the same order).
     */
    public List<String> embeddedPhrases() {
        if (conditions.exclude().isEmpty() && examples.isEmpty()) {
            return vocabulary;
        }
        List<String> phrases = new ArrayList<>(vocabulary);
        phrases.addAll(conditions.exclude());
        examples.forEach(example -> phrases.add(example.text()));
        return phrases;
    }
}
