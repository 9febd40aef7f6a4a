package io.opentrackers.analytics;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InstantParameter;
import io.opentrackers.common.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The analytics request's rules, in one place: how {@code from}, {@code to}, {@code interval} and {@code trackerId}
 * are read, defaulted, rounded to whole buckets and bounded (docs/analytics.md). Days are UTC days.
 *
 * @param from       the first day counted (a bucket start)
 * @param to         the day after the last one counted (a bucket start)
 * @param trackerIds the requested trackers in request order without repeats, or null for all
 */
record AnalyticsQuery(LocalDate from, LocalDate to, Interval interval, List<String> trackerIds) {

    /** Most buckets in one series: a year of days, seven years of weeks, thirty years of months. */
    static final int MAX_BUCKETS = 366;
    static final int MAX_TRACKER_IDS = 100;
    /** Rollups are by date; the bounds keep every date arithmetic far from overflowing. */
    private static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    private static final LocalDate LATEST = LocalDate.of(9999, 1, 1);

    static AnalyticsQuery parse(String from, String to, String interval, List<String> trackerIds, Instant now) {
        List<FieldViolation> violations = new ArrayList<>();
        Interval unit = interval(interval, violations);
        Instant start = instant("from", from, violations);
        Instant end = instant("to", to, violations);
        if (start != null && end != null && !start.isBefore(end)) {
            violations.add(FieldViolation.of("from", "must be before to (" + to + "), was " + from));
        }
        List<String> ids = trackerIds(trackerIds, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        LocalDate last = unit.ceil(end != null ? ceilDay(end) : ceilDay(now));
        LocalDate first = start != null ? unit.floor(day(start)) : unit.plus(last, -unit.defaultBuckets);
        if (!first.isBefore(last)) {
            throw new InvalidInputException(List.of(FieldViolation.of("from",
                    "must be before to (by default the end of the current " + unit.wire() + "), was " + from)));
        }
        long buckets = 0;
        for (LocalDate bucket = first; bucket.isBefore(last) && buckets <= MAX_BUCKETS; bucket = unit.next(bucket)) {
            buckets++;
        }
        if (buckets > MAX_BUCKETS) {
            throw new InvalidInputException(List.of(FieldViolation.of(start != null ? "from" : "to",
                    "the range holds more than " + MAX_BUCKETS + " " + unit.wire() + "s; narrow it or use a longer "
                            + "interval")));
        }
        return new AnalyticsQuery(first, last, unit, ids);
    }

    Instant fromInstant() {
        return from.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    Instant toInstant() {
        return to.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Each bucket's first day, in order. */
    List<LocalDate> buckets() {
        List<LocalDate> starts = new ArrayList<>();
        for (LocalDate bucket = from; bucket.isBefore(to); bucket = interval.next(bucket)) {
            starts.add(bucket);
        }
        return starts;
    }

    private static Interval interval(String value, List<FieldViolation> violations) {
        if (value == null) {
            return Interval.DAY;
        }
        for (Interval interval : Interval.values()) {
            if (interval.wire().equals(value)) {
                return interval;
            }
        }
        violations.add(FieldViolation.of("interval", "must be day, week or month, was '" + value + "'"));
        return Interval.DAY;
    }

    /** An ISO-8601 instant ({@code 2026-03-01T00:00:00Z}, any offset) or a date ({@code 2026-03-01}, UTC). */
    private static Instant instant(String field, String value, List<FieldViolation> violations) {
        if (value == null) {
            return null;
        }
        Instant instant = InstantParameter.parse(field, value, violations);
        if (instant == null) {
            return null;
        }
        LocalDate day = day(instant);
        if (day.isBefore(EARLIEST) || !day.isBefore(LATEST)) {
            violations.add(FieldViolation.of(field, "must be in the years 1970 to 9998, was '" + value + "'"));
            return null;
        }
        return instant;
    }

    private static List<String> trackerIds(List<String> values, List<FieldViolation> violations) {
        if (values == null) {
            return null;
        }
        if (values.isEmpty()) {
            // "trackerId=" (an unset variable in a client's URL) must not widen the request to every tracker
            violations.add(FieldViolation.of("trackerId", "must not be empty; leave it out to count every tracker"));
            return null;
        }
        if (values.size() > MAX_TRACKER_IDS) {
            violations.add(FieldViolation.of("trackerId", "at most " + MAX_TRACKER_IDS + " trackers per request, "
                    + "was " + values.size()));
            return null;
        }
        return List.copyOf(new LinkedHashSet<>(values));
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The first midnight (UTC) at or after {@code instant}, as a date. */
    private static LocalDate ceilDay(Instant instant) {
        LocalDate day = day(instant);
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).equals(instant) ? day : day.plusDays(1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s..%s by %s", from, to, interval.wire());
    }
}
