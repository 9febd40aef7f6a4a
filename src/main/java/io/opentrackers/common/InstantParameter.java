package io.opentrackers.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A point in time given in a query parameter, as analytics and the conversations list take it: an ISO-8601 date-time
 * with an offset ({@code 2026-03-01T10:00:00Z}, {@code 2026-03-01T10:00:00+02:00}) or a date ({@code 2026-03-01},
 * midnight UTC), so that the {@code from} and {@code to} of an analytics answer can be passed on as they are.
 */
public final class InstantParameter {

    private InstantParameter() {
    }

    /** The instant {@code value} names, or null (with a violation naming {@code field}) when it names none. */
    public static Instant parse(String field, String value, List<FieldViolation> violations) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                violations.add(FieldViolation.of(field, "must be an ISO-8601 date-time with an offset "
                        + "(2026-03-01T00:00:00Z) or a date (2026-03-01), was '" + value + "'"
                        + (plusAsSpace(value) ? "; in a URL, write the offset's '+' as %2B" : "")));
                return null;
            }
        }
    }

    /** A query string decodes '+' as a space, so {@code ...T10:00:00+02:00} arrives as {@code ...T10:00:00 02:00}. */
    private static boolean plusAsSpace(String value) {
        try {
            OffsetDateTime.parse(value.replace(' ', '+'));
            return true;
        } catch (DateTimeParseException stillNot) {
            return false;
        }
    }
}
