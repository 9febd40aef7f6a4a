package io.opentrackers.analytics;

import io.opentrackers.account.AccountId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/analytics/trackers}: trends across the account's stored conversations (docs/analytics.md). */
@RestController
@Tag(name = "Analytics", description = "Tracker figures across the account's stored conversations")
class AnalyticsController {

    private final AnalyticsService analytics;
    private final Clock clock;

    @Autowired
    AnalyticsController(AnalyticsService analytics) {
        this(analytics, Clock.systemUTC());
    }

    AnalyticsController(AnalyticsService analytics, Clock clock) {
        this.analytics = analytics;
        this.clock = clock;
    }

    @GetMapping(path = "/v1/analytics/trackers", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getTrackerAnalytics",
            summary = "Hits and conversations per tracker, by speaker role, as a series, with the top phrases",
            description = "Over the caller's account's stored conversations (async and streamed), each counted on "
                    + "the UTC day it started (its first message's start time, else its creation time). The range "
                    + "is widened to whole buckets and answered as such; every bucket is listed, zeros included.")
    @ApiResponse(responseCode = "200", description = "One item per tracker: the requested ones, else the account's "
            + "trackers (creation order) then trackers with hits in the range that were deleted since or inline"
            + "; as CSV with Accept: text/csv (a file to save: one row per tracker and bucket)",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = TrackerAnalytics.class),
                    examples = @ExampleObject(name = "analytics", value = """
                    {"from": "2026-03-02T00:00:00Z", "to": "2026-03-16T00:00:00Z", "interval": "week",
                     "trackers": [
                       {"id": "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e", "name": "Pricing",
                        "conversations": 3, "hits": 5, "bySpeaker": {"agent": 1, "customer": 3, "unknown": 1},
                        "series": [{"start": "2026-03-02T00:00:00Z", "hits": 4, "conversations": 2},
                                   {"start": "2026-03-09T00:00:00Z", "hits": 1, "conversations": 1}],
                        "topPhrases": [{"value": "how much does it cost", "hits": 4},
                                       {"value": "what is the price", "hits": 2}]}]}""")),
                    @Content(mediaType = AnalyticsCsv.MEDIA_TYPE, schema = @Schema(type = "string"),
                            examples = @ExampleObject(name = "csv", value = AnalyticsCsv.HEADER + "\r\n"
                                    + "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e,Pricing,2026-03-02,4,2\r\n"
                                    + "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e,Pricing,2026-03-09,1,1\r\n"))},
            headers = @Header(name = HttpHeaders.CONTENT_DISPOSITION, description = "CSV only: `attachment; "
                    + "filename=\"tracker-analytics-<from>-to-<to>-<interval>.csv\"`, the range counted",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "406", description = "The `Accept` header admits neither JSON nor CSV "
            + "(`text/csv`); `errors[]` names `Accept` with the types this path answers")
    ResponseEntity<TrackerAnalytics> trackers(AccountId account,
            @Parameter(description = "Start of the range: an ISO-8601 date-time with offset or a date (UTC); "
                    + "rounded down to its bucket's start. Default: `to` minus 30 days, 12 weeks or 12 months",
                    example = "2026-03-01") @RequestParam(required = false) String from,
            @Parameter(description = "End of the range (exclusive), same forms; rounded up to a bucket boundary. "
                    + "Default: the end of the current bucket", example = "2026-03-15")
            @RequestParam(required = false) String to,
            @Parameter(description = "Bucket of the series: `day` (default), `week` (ISO, from Monday) or `month`, "
                    + "in UTC; at most " + AnalyticsQuery.MAX_BUCKETS + " buckets", example = "week",
                    schema = @Schema(allowableValues = {"day", "week", "month"}))
            @RequestParam(required = false) String interval,
            @Parameter(description = "Only these trackers (repeatable); a managed tracker or one with stored hits",
                    example = "[\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e\"]")
            @RequestParam(name = "trackerId", required = false) List<String> trackerIds) {
        // one path, two representations by Accept: a cache must not answer one with the other
        return ResponseEntity.ok().varyBy(HttpHeaders.ACCEPT).body(figures(account, from, to, interval, trackerIds));
    }

    private TrackerAnalytics figures(AccountId account, String from, String to, String interval,
            List<String> trackerIds) {
        return analytics.trackers(account, AnalyticsQuery.parse(from, to, interval, trackerIds, clock.instant()));
    }

    /**
     * The same figures as CSV ({@code Accept: text/csv}) for a spreadsheet, as a file to save. The same operation of
     * the OpenAPI document as the JSON method, whose 200 describes both representations.
     */
    @GetMapping(path = "/v1/analytics/trackers", produces = AnalyticsCsv.MEDIA_TYPE)
    @Operation(hidden = true)
    ResponseEntity<String> trackersAsCsv(AccountId account, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String interval,
            @RequestParam(name = "trackerId", required = false) List<String> trackerIds) {
        TrackerAnalytics figures = figures(account, from, to, interval, trackerIds);
        return ResponseEntity.ok().varyBy(HttpHeaders.ACCEPT)
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(AnalyticsCsv.fileName(figures)).build().toString())
                .body(AnalyticsCsv.write(figures));
    }
}
