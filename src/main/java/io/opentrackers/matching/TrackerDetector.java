package io.opentrackers.matching;

import java.util.List;

/**
 * Finds every (message, tracker) hit by literal phrase and by meaning. This is the seam the async jobs, the
 * streaming sessions and {@code POST /v1/match} all use; implementations are thread-safe. Each message's
 * {@link MessageText#context()} is what the trackers' conditions (speaker, window) are checked against.
 */
public interface TrackerDetector {

    List<TrackerHit> detect(List<TrackerDefinition> trackers, List<MessageText> messages);
}
