package io.opentrackers.matching;

import java.util.List;

/** Hits, and, when asked for, the decisions behind them (one {@link Explanation} per message, in message order). */
public record Detection(List<TrackerHit> hits, List<Explanation> explanations) {

    public Detection {
        hits = List.copyOf(hits);
        explanations = List.copyOf(explanations);
    }
}
