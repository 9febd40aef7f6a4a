package io.opentrackers.matching;

import java.util.List;
import java.util.Map;

/**
 * Finds every (message, tracker) hit by literal phrase and by meaning. This is the seam the async jobs, the
 * streaming sessions and {@code POST /v1/match} all use; implementations are thread-safe. Each message's
 * {@link MessageText#context()} is what the trackers' conditions (speaker, window) are checked against.
 */
public interface TrackerDetector {

    List<TrackerHit> detect(List<TrackerDefinition> trackers, List<MessageText> messages);

    /**
     * The same hits as {@link #detect(List, List)}, given vectors the service's model has already computed for some
     * texts (by text; e.g. stored sentence vectors), which an implementation may take instead of embedding those
     * texts again. Every text is its own model run, so such a vector is the one the detector would compute: the hits
     * and scores do not depend on them.
     */
    default List<TrackerHit> detect(List<TrackerDefinition> trackers, List<MessageText> messages,
            Map<String, float[]> embedded) {
        return detect(trackers, messages);
    }
}
