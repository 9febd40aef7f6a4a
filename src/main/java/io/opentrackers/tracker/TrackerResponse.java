package io.opentrackers.tracker;

import io.opentrackers.matching.LabelledExample;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A tracker as the Management API shows it. {@code description} and {@code sensitivity} are left out when
 * unset (the service writes JSON without nulls).
 *
 * @param sensitivity extension: 0.0–1.0, higher = more hits, absent = calibrated default
 * @param version     extension: starts at 1 and grows by one with every change (examples included)
 * @param examples    extension: the labelled examples ({@code {text, match}}), only when the list is read with
 *                    {@code ?include=examples}
 */
record TrackerResponse(String id, String name, String description, List<String> categories,
        List<String> languages, List<String> vocabulary, Double sensitivity, long version, Instant createdOn,
        Instant updatedOn, List<LabelledExample> examples) {

    static TrackerResponse of(Tracker tracker) {
        return of(tracker, null);
    }

    static TrackerResponse of(Tracker tracker, List<LabelledExample> examples) {
        TrackerContent c = tracker.content();
        return new TrackerResponse(tracker.id(), c.name(), c.description(), c.categories(), c.languages(),
                c.vocabulary(), c.sensitivity(), tracker.version(), tracker.createdOn(), tracker.updatedOn(),
                examples);
    }

    @Schema(name = "TrackerEnvelope", description = "One tracker: `{\"tracker\": {…}}`")
    record One(TrackerResponse tracker) {
    }

    @Schema(name = "TrackerList", description = "Trackers: `{\"trackers\": [...]}`")
    record Many(List<TrackerResponse> trackers) {
    }

    @Schema(name = "TrackerDeleted")
    record Deleted(String id, @Schema(example = "tracker") String type, boolean deleted) {
    }
}
