package io.opentrackers.analytics;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** A series' bucket: a UTC day, an ISO week (from Monday) or a calendar month. */
enum Interval {
    DAY(30), WEEK(12), MONTH(12);

    /** Buckets in the range when the request gives no {@code from}: a month of days, a quarter of weeks, a year. */
    final int defaultBuckets;

    Interval(int defaultBuckets) {
        this.defaultBuckets = defaultBuckets;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The first day of the bucket holding {@code day}. */
    LocalDate floor(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** The first day of the bucket after the one starting on {@code bucketStart}. */
    LocalDate next(LocalDate bucketStart) {
        return plus(bucketStart, 1);
    }

    LocalDate plus(LocalDate bucketStart, long buckets) {
        return switch (this) {
            case DAY -> bucketStart.plusDays(buckets);
            case WEEK -> bucketStart.plusWeeks(buckets);
            case MONTH -> bucketStart.plusMonths(buckets);
        };
    }

    /** {@code day} if a bucket starts on it, else the start of the next bucket. */
    LocalDate ceil(LocalDate day) {
        LocalDate start = floor(day);
        return start.equals(day) ? day : next(start);
    }
}
