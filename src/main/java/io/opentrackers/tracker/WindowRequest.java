package io.opentrackers.tracker;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A tracker's {@code window} as clients send it: {@code {"anchor":"start"|"end", "seconds":N}} or
 * {@code {"anchor":…, "messages":N}}. Numbers are read as JSON numbers and checked by {@link TrackerRules} (whole,
 * positive, bounded), so that {@code 2.5} is refused naming the field rather than rounded. The document says
 * {@code integer} with {@code types}: the document is OpenAPI 3.1, where {@code type} over a {@code Double} came out as
 * {@code string}; and {@code int32}, or the {@code Double}'s {@code format: double} stays beside {@code integer}.
 */
@Schema(name = "TrackerWindow", description = "Only messages within the first/last N seconds (by `duration` times) or "
        + "N messages of the conversation can fire the tracker; exactly one of `seconds` and `messages`")
public record WindowRequest(@Schema(allowableValues = {"start", "end"}) String anchor,
                            @Schema(types = "integer", format = "int32", minimum = "1", maximum = "86400")
                            Double seconds,
                            @Schema(types = "integer", format = "int32", minimum = "1", maximum = "10000")
                            Double messages) {
}
