package io.opentrackers.matching;

import java.util.List;

/**
 * A tracker as the matcher sees it.
 *
 * @param id          the managed tracker's id, or an id assigned to an inline tracker for one conversation
 * @param version     changes whenever the vocabulary or sensitivity changes (0 for inline trackers), so cached
 *                    vocabulary embeddings can be reused safely
 * @param sensitivity optional per-tracker sensitivity; null means the calibrated default
 */
public record TrackerDefinition(String id, String name, List<String> vocabulary, Double sensitivity, long version) {

    public TrackerDefinition {
        vocabulary = List.copyOf(vocabulary);
    }
}
