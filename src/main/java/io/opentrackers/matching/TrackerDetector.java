package io.opentrackers.matching;

import java.util.List;

/**
 * Finds every (message, tracker) hit by literal phrase and by meaning. This is the seam the async jobs, the
 * streaming sessions and {@code POST /v1/match} all use; implementations are thread-safe.
 */
public interface TrackerDetector {

    List<TrackerHit> detect(List<TrackerDefinition> trackers, List<MessageText> messages);
}
