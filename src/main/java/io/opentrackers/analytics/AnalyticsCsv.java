package io.opentrackers.analytics;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The answer of {@code GET /v1/analytics/trackers} as CSV (RFC 4180, UTF-8, CRLF), for a spreadsheet: one row per
 * tracker and bucket, the columns a pivot table needs. A bucket starts at a UTC midnight, so its start is written as
 * a date, which spreadsheets read as one (an ISO instant with its {@code Z} stays text in most).
 */
final class AnalyticsCsv {

    static final String MEDIA_TYPE = "text/csv";
    static final String HEADER = "tracker_id,tracker,start,hits,conversations";

    private AnalyticsCsv() {
    }

    static String write(TrackerAnalytics analytics) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (TrackerAnalytics.TrackerFigures tracker : analytics.trackers()) {
            for (TrackerAnalytics.Bucket bucket : tracker.series()) {
                csv.append(cell(tracker.id())).append(',').append(cell(tracker.name())).append(',')
                        .append(DateTimeFormatter.ISO_LOCAL_DATE.format(bucket.start().atOffset(ZoneOffset.UTC)))
                        .append(',').append(bucket.hits()).append(',').append(bucket.conversations()).append("\r\n");
            }
        }
        return csv.toString();
    }

    /**
     * A text cell: quoted when it holds a comma, a quote or a line break (quotes doubled). A tracker's name is the
     * user's text, and a spreadsheet runs a cell that starts with {@code = + - @} (or a tab or carriage return) as a
     * formula: such a cell gets a leading {@code '}, as OWASP's "CSV Injection" advises, so opening an export runs
     * nothing a tracker's name says.
     */
    static String cell(String text) {
        String value = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        return value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')
                ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** {@code tracker-analytics-2026-03-02-to-2026-03-16-week.csv}: the range counted (to exclusive) and the bucket. */
    static String fileName(TrackerAnalytics analytics) {
        return "tracker-analytics-" + DateTimeFormatter.ISO_LOCAL_DATE.format(analytics.from().atOffset(ZoneOffset.UTC))
                + "-to-" + DateTimeFormatter.ISO_LOCAL_DATE.format(analytics.to().atOffset(ZoneOffset.UTC)) + "-"
                + analytics.interval() + ".csv";
    }
}
