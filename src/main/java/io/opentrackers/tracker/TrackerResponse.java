package io.opentrackers.tracker;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.opentrackers.matching.LabelledExample;
import io.opentrackers.matching.TrackerConditions;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A tracker as the Management API shows it. {@code description} and {@code sensitivity} are left out when
 * unset (the service writes JSON without nulls).
 *
 * @param sensitivity extension: 0.0–1.0, higher = more hits, absent = calibrated default
 * @param speaker     extension: whose messages can fire it, {@code any} (default), {@code agent} or {@code customer}
 * @param window      extension: absent for the whole conversation
 * @param exclude     extension: phrases whose sentences are not hits of this tracker ({@code []} when none)
 * @param version     extension: starts at 1 and grows by one with every change (examples included); a write that
 *                    changes nothing keeps it
 * @param examples    extension: the labelled examples ({@code {text, match}}), only when the list is read with
 *                    {@code ?include=examples}
 * @param exampleCounts extension, read responses only: how many examples say the tracker should fire and how many
 *                    that it should not, so that a list of trackers shows them without a call per tracker
 * @param calibration extension, read responses only: the threshold calibrated for this version of the tracker in its
 *                    account's tracker set, absent until computed (shortly after every change)
 */
record TrackerResponse(@Schema(requiredMode = REQUIRED) String id, @Schema(requiredMode = REQUIRED) String name,
        String description, @Schema(requiredMode = REQUIRED) List<String> categories,
        @Schema(requiredMode = REQUIRED) List<String> languages,
        @Schema(requiredMode = REQUIRED) List<String> vocabulary,
        Double sensitivity,
        @Schema(allowableValues = {"any", "agent", "customer"}, requiredMode = REQUIRED) String speaker, Window window,
        @Schema(requiredMode = REQUIRED) List<String> exclude, @Schema(requiredMode = REQUIRED) long version,
        @Schema(requiredMode = REQUIRED) Instant createdOn, @Schema(requiredMode = REQUIRED) Instant updatedOn,
        List<LabelledExample> examples, ExampleCounts exampleCounts, Calibration calibration) {

    /** A tracker as a write (create, PUT, PATCH) answers it: without the read-only extensions. */
    static TrackerResponse of(Tracker tracker) {
        return of(tracker, null, null, null);
    }

    /**
     * A tracker as a read answers it.
     *
     * @param counts      the tracker's example counts ({@code null}: none, so zero)
     * @param calibration the tracker's stored calibration, if any; shown only when it was computed for this version
     */
    static TrackerResponse read(Tracker tracker, List<LabelledExample> examples, TrackerExampleSource.Counts counts,
            TrackerCalibrations.Calibration calibration) {
        TrackerExampleSource.Counts known = counts == null ? TrackerExampleSource.Counts.NONE : counts;
        return of(tracker, examples, new ExampleCounts(known.positives(), known.negatives()), calibration);
    }

    private static TrackerResponse of(Tracker tracker, List<LabelledExample> examples, ExampleCounts exampleCounts,
            TrackerCalibrations.Calibration calibration) {
        TrackerContent c = tracker.content();
        TrackerConditions.Window window = c.conditions().window();
        return new TrackerResponse(tracker.id(), c.name(), c.description(), c.categories(), c.languages(),
                c.vocabulary(), c.sensitivity(), c.conditions().speaker(),
                window == null ? null : new Window(window.anchor(), window.seconds(), window.messages()),
                c.conditions().exclude(), tracker.version(), tracker.createdOn(), tracker.updatedOn(), examples,
                exampleCounts, calibration == null || calibration.trackerVersion() != tracker.version() ? null
                        : new Calibration(calibration.model(), Math.round(calibration.threshold() * 1e4) / 1e4,
                                calibration.evidence(),
                                // milliseconds, as every other time of the API (PostgreSQL keeps microseconds)
                                calibration.calibratedAt().truncatedTo(ChronoUnit.MILLIS)));
    }

    @Schema(name = "TrackerCalibration", description = "Extension: the threshold this tracker fires at by meaning, "
            + "derived from the account's tracker set and the shipped reference sentences (docs/matching.md)")
    record Calibration(@Schema(example = "bge-small-en-v15-q", requiredMode = REQUIRED) String model,
            @Schema(description = "cosine a sentence needs (at the tracker's sensitivity)", example = "0.7331",
                    requiredMode = REQUIRED) double threshold,
            @Schema(description = "how many sentences it was derived from", example = "364", requiredMode = REQUIRED)
            int evidence,
            @Schema(requiredMode = REQUIRED) Instant calibratedAt) {
    }

    @Schema(name = "TrackerExampleCounts", description = "Extension, read responses only: the tracker's labelled "
            + "examples counted (docs/teaching.md); ignored in request bodies")
    record ExampleCounts(
            @Schema(description = "examples with `match: true` (it should fire on such a sentence)", example = "14",
                    requiredMode = REQUIRED) int positives,
            @Schema(description = "examples with `match: false` (it should not)", example = "34",
                    requiredMode = REQUIRED) int negatives) {
    }

    @Schema(name = "TrackerWindowView", description = "The first/last `seconds` or `messages` of a conversation")
    record Window(@Schema(allowableValues = {"start", "end"}, requiredMode = REQUIRED) String anchor, Integer seconds,
            Integer messages) {
    }

    @Schema(name = "TrackerEnvelope", description = "One tracker: `{\"tracker\": {…}}`")
    record One(@Schema(requiredMode = REQUIRED) TrackerResponse tracker) {
    }

    @Schema(name = "TrackerList", description = "Trackers: `{\"trackers\": [...]}`")
    record Many(@Schema(requiredMode = REQUIRED) List<TrackerResponse> trackers) {
    }

    @Schema(name = "TrackerDeleted")
    record Deleted(@Schema(requiredMode = REQUIRED) String id,
            @Schema(example = "tracker", requiredMode = REQUIRED) String type,
            @Schema(requiredMode = REQUIRED) boolean deleted) {
    }
}
