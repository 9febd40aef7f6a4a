package io.opentrackers.analytics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/** The answer of {@code GET /v1/analytics/trackers} (api.md "Analytics across conversations"). */
@JsonPropertyOrder({"from", "to", "interval", "trackers"})
record TrackerAnalytics(Instant from, Instant to, String interval, List<TrackerFigures> trackers) {

    /**
     * One tracker over the whole range.
     *
     * @param conversations conversations started in the range in which the tracker hit at least once
     * @param hits          messages the tracker hit (a message matching two of its phrases is one hit)
     * @param topPhrases    its phrases with most hits, most first (every matching phrase of a message counts)
     */
    record TrackerFigures(String id, String name, int conversations, int hits, BySpeaker bySpeaker,
                          List<Bucket> series, List<PhraseHits> topPhrases) {
    }

    /** {@code hits} by the role of the message's speaker; {@code unknown}: messages without a role. */
    record BySpeaker(int agent, int customer, int unknown) {
    }

    /** One bucket of the series: every bucket of the range is listed, zeros included. */
    record Bucket(Instant start, int hits, int conversations) {
    }

    record PhraseHits(String value, int hits) {
    }
}
