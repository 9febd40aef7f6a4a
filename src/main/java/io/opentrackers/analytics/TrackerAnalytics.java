package io.opentrackers.analytics;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** The answer of {@code GET /v1/analytics/trackers} (api.md "Analytics across conversations"). */
@JsonPropertyOrder({"from", "to", "interval", "trackers"})
record TrackerAnalytics(@Schema(requiredMode = REQUIRED) Instant from, @Schema(requiredMode = REQUIRED) Instant to,
        @Schema(requiredMode = REQUIRED) String interval,
        @Schema(requiredMode = REQUIRED) List<TrackerFigures> trackers) {

    /**
     * One tracker over the whole range.
     *
     * @param conversations conversations started in the range in which the tracker hit at least once
     * @param hits          messages the tracker hit (a message matching two of its phrases is one hit)
     * @param topPhrases    its phrases with most hits, most first (every matching phrase of a message counts)
     */
    record TrackerFigures(@Schema(requiredMode = REQUIRED) String id, @Schema(requiredMode = REQUIRED) String name,
                          @Schema(requiredMode = REQUIRED) int conversations, @Schema(requiredMode = REQUIRED) int hits,
                          @Schema(requiredMode = REQUIRED) BySpeaker bySpeaker,
                          @Schema(requiredMode = REQUIRED) List<Bucket> series,
                          @Schema(requiredMode = REQUIRED) List<PhraseHits> topPhrases) {
    }

    /** {@code hits} by the role of the message's speaker; {@code unknown}: messages without a role. */
    record BySpeaker(@Schema(requiredMode = REQUIRED) int agent, @Schema(requiredMode = REQUIRED) int customer,
            @Schema(requiredMode = REQUIRED) int unknown) {
    }

    /** One bucket of the series: every bucket of the range is listed, zeros included. */
    record Bucket(@Schema(requiredMode = REQUIRED) Instant start, @Schema(requiredMode = REQUIRED) int hits,
            @Schema(requiredMode = REQUIRED) int conversations) {
    }

    record PhraseHits(@Schema(requiredMode = REQUIRED) String value, @Schema(requiredMode = REQUIRED) int hits) {
    }
}
