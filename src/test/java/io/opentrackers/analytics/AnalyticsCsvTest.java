package io.opentrackers.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV a spreadsheet opens: quoting by RFC 4180, and no tracker name run as a formula. */
class AnalyticsCsvTest {

    @Test
    void aCellIsQuotedWhenItHoldsACommaAQuoteOrALineBreak() {
        assertThat(AnalyticsCsv.cell("Pricing")).isEqualTo("Pricing");
        assertThat(AnalyticsCsv.cell("Price, cost")).isEqualTo("\"Price, cost\"");
        assertThat(AnalyticsCsv.cell("The \"big\" one")).isEqualTo("\"The \"\"big\"\" one\"");
        assertThat(AnalyticsCsv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    /** OWASP "CSV Injection": a cell starting with = + - @ (or a tab, a carriage return) is a formula to Excel. */
    @Test
    void aNameThatASpreadsheetWouldRunAsAFormulaIsWrittenAsText() {
        assertThat(AnalyticsCsv.cell("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assertThat(AnalyticsCsv.cell("+1 upsell")).isEqualTo("'+1 upsell");
        assertThat(AnalyticsCsv.cell("-negative")).isEqualTo("'-negative");
        assertThat(AnalyticsCsv.cell("@mention")).isEqualTo("'@mention");
        assertThat(AnalyticsCsv.cell("a=b")).isEqualTo("a=b");
        assertThat(AnalyticsCsv.cell("")).isEmpty();
    }

    @Test
    void oneRowPerTrackerAndBucketWithTheBucketsDate() {
        TrackerAnalytics figures = new TrackerAnalytics(Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-04-01T00:00:00Z"), "month", List.of(new TrackerAnalytics.TrackerFigures("t1",
                        "Budget, money", 2, 3, new TrackerAnalytics.BySpeaker(1, 2, 0),
                        List.of(new TrackerAnalytics.Bucket(Instant.parse("2026-03-01T00:00:00Z"), 3, 2)), List.of())));
        assertThat(AnalyticsCsv.write(figures)).isEqualTo(
                "tracker_id,tracker,start,hits,conversations\r\nt1,\"Budget, money\",2026-03-01,3,2\r\n");
        assertThat(AnalyticsCsv.fileName(figures)).isEqualTo("tracker-analytics-2026-03-01-to-2026-04-01-month.csv");
    }
}
