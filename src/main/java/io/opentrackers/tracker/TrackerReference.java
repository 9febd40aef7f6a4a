package io.opentrackers.tracker;

import java.util.List;

/**
 * A tracker named in a conversation or stream request: either a reference {@code {id}} to a managed tracker,
 * or an inline {@code {name, vocabulary}} used for that conversation only.
 */
public record TrackerReference(String id, String name, List<String> vocabulary, Double sensitivity) {

    public boolean isReference() {
        return id != null && (vocabulary == null || vocabulary.isEmpty());
    }
}
