package io.opentrackers.matching;

import java.util.List;

/**
 * A tracker as the matcher sees it.
 *
 * @param id          the managed tracker's id, or an id assigned to an inline tracker for one conversation
 * @param version     changes whenever the vocabulary, sensitivity or examples change (0 for inline trackers), so
 *                    cached vocabulary embeddings and indexes can be reused safely
 * @param sensitivity optional per-tracker sensitivity; null means the calibrated default
 * @param examples    the labelled examples of a managed tracker (teaching), empty for most trackers and for every
 *                    inline one; a tracker without examples decides exactly as before examples existed
 */
public record TrackerDefinition(String id, String name, List<String> vocabulary, Double sensitivity, long version,
                                List<LabelledExample> examples) {

    public TrackerDefinition {
        vocabulary = List.copyOf(vocabulary);
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** A tracker without examples. */
    public TrackerDefinition(String id, String name, List<String> vocabulary, Double sensitivity, long version) {
        this(id, name, vocabulary, sensitivity, version, List.of());
    }
}
