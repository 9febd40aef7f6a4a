package io.opentrackers.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.matching.TrackerHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Analytics on a large account, end to end through HTTP: 1,000,000 stored hits of one account (5,000 conversations
 * over the last year, 100 sentences each, 2 hits per sentence over 20 trackers of 10 phrases; speakers agent,
 * customer and none) beside 100,000 hits of two other accounts. Conversations and messages are inserted in bulk
 * SQL; the hits go through the real write path ({@code ConversationService.recordHits}, which maintains the
 * rollups), so the fill also measures what the rollups cost the writes. Then p50 / p99 of typical queries, and
 * for comparison the same figures computed from the hits themselves (with and without a denormalised copy of the
 * hits). Run on demand (docs/analytics.md):
 * {@code ./mvnw -B verify -Dbenchmark=true -Dit.test=AnalyticsBenchmarkIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnalyticsBenchmarkIT {

    static final int CONVERSATIONS = 5_000;
    static final int SENTENCES = 100;
    static final int TRACKERS = 20;
    static final int PHRASES = 10;
    static final int NOISE_CONVERSATIONS = 250;
    static final int WARM_UP = 20;
    static final int RUNS = 200;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConversationService conversations;

    @Autowired
    AnalyticsRepository rollups;

    @Test
    void aMillionHits() throws IOException {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        AccountId account = account(api);
        List<String> trackerIds = new ArrayList<>();
        for (int t = 0; t < TRACKERS; t++) {
            trackerIds.add(UUID.randomUUID().toString());
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        long fillStart = System.nanoTime();
        long hits = fill(account, CONVERSATIONS, trackerIds, today);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        long noise = 0;
        for (int other = 0; other < 2; other++) {
            TestApi stranger = TestApi.newAccount("http://localhost:" + port);
            noise += fill(account(stranger), NOISE_CONVERSATIONS, trackerIds, today);
        }
        jdbc.sql("analyze").update();
        assertThat(hits).isEqualTo((long) CONVERSATIONS * SENTENCES * 2);

        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """
                Analytics benchmark: %,d hits of one account (%,d conversations x %d sentences, %d trackers x %d \
                phrases, %d days) + %,d hits of two other accounts, %d cores
                  fill through the write path (hits + rollups): %.0f s = %,.0f hits/s (%.1f ms per 200-hit batch)
                  GET /v1/analytics/trackers, %d runs after %d warm-up runs each:
                """, hits, CONVERSATIONS, SENTENCES, TRACKERS, PHRASES, 365, noise,
                Runtime.getRuntime().availableProcessors(), fillSeconds, hits / fillSeconds,
                fillSeconds * 1000 / CONVERSATIONS, RUNS, WARM_UP));
        String lastTracker = trackerIds.get(TRACKERS - 1);
        List<String[]> queries = List.of(
                new String[] {"last 30 days by day (the default)", ""},
                new String[] {"last 12 weeks by week", "?interval=week"},
                new String[] {"last 12 months by month (every hit)", "?interval=month"},
                new String[] {"last 365 days by day (every hit, 7,300 buckets)",
                        "?from=" + today.minusDays(364) + "&interval=day"},
                new String[] {"one tracker, last 12 months by week", "?interval=week&from=" + today.minusDays(364)
                        + "&trackerId=" + lastTracker});
        for (String[] query : queries) {
            long[] latencies = time(() -> {
                TestApi.Response response = api.get("/v1/analytics/trackers" + query[1]);
                assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
                return 0;
            }, WARM_UP, RUNS);
            report.append(line(query[0], latencies));
        }

        // the database's share: the endpoint's two rollup queries alone, for the year by month
        LocalDate yearFrom = today.minusMonths(12).withDayOfMonth(1);
        LocalDate yearTo = today.plusMonths(1).withDayOfMonth(1);
        report.append(line("  of which the rollup queries alone, year by month",
                time(() -> rollups.buckets(account, yearFrom, yearTo, "month", null).size()
                        + rollups.topPhrases(account, yearFrom, yearTo, AnalyticsService.TOP_PHRASES, null).size(),
                        WARM_UP, RUNS)));

        // What the rollups replace: the same year of figures by month counted from the stored hits
        Instant from = yearFrom.atStartOfDay().toInstant(ZoneOffset.UTC);
        report.append("  the year by month counted from the hits instead, 5 runs after 1 warm-up run each:\n");
        report.append(line("joined to conversations and messages (no rollup)",
                time(() -> rawFigures(account, from, false), 1, 5)));
        jdbc.sql("""
                create table bench_hit_denormalised as
                select h.conversation_id, h.message_id, h.tracker_id, h.phrase, s.account_id, s.started_on,
                       m.from_role
                from tracker_hit h join conversation_start s on s.id = h.conversation_id
                join conversation_message m on m.id = h.message_id""").update();
        jdbc.sql("""
                create index on bench_hit_denormalised (account_id, started_on, tracker_id)
                include (conversation_id, message_id, phrase, from_role)""").update();
        jdbc.sql("vacuum analyze bench_hit_denormalised").update();
        report.append(line("denormalised (account, start, role in each hit; covering index)",
                time(() -> rawFigures(account, from, true), 1, 5)));
        jdbc.sql("drop table bench_hit_denormalised").update();

        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-analytics.txt"), report);
    }

    /**
     * {@code count} conversations of the account, one a day or more over the last 365 days, in bulk SQL; then their
     * hits through the write path, one conversation at a time as a job batch would.
     */
    private long fill(AccountId account, int count, List<String> trackerIds, LocalDate today) {
        Instant firstDay = today.minusDays(364).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<String> ids = jdbc.sql("""
                insert into conversation (id, account_id, name, source, created_on, updated_on, started_on, last_seq)
                select gen_random_uuid()::text, :account, 'bench ' || i, 'async',
                       cast(:first as timestamptz) + (i % 365) * interval '1 day' + (i * 37 % 86400) * interval '1 second',
                       cast(:first as timestamptz) + (i % 365) * interval '1 day',
                       -- the first message's start, as storing the messages below through the service would set it
                       cast(:first as timestamptz) + (i % 365) * interval '1 day' + (i * 37 % 86400) * interval '1 second'
                           + interval '10 second',
                       :sentences
                from generate_series(1, :count) i
                returning id""")
                .param("account", account.value()).param("first", Timestamp.from(firstDay))
                .param("sentences", SENTENCES).param("count", count)
                .query(String.class).list();
        jdbc.sql("""
                insert into conversation_message (id, conversation_id, seq, text, from_user_id, start_time,
                    end_time, source_index, char_start, char_end, created_on, from_role)
                select gen_random_uuid()::text, c.id, s, 'sentence ' || s, 'speaker-' || (s % 3),
                       c.created_on + s * interval '10 second', c.created_on + s * interval '10 second',
                       s - 1, 0, 10, c.created_on, (array['agent', 'customer', null])[s % 3 + 1]
                from conversation c, generate_series(1, :sentences) s
                where c.id = any(:ids)""")
                .param("sentences", SENTENCES).param("ids", ids.toArray(String[]::new)).update();
        long stored = 0;
        for (int c = 0; c < ids.size(); c++) {
            String conversationId = ids.get(c);
            List<String> messages = jdbc.sql("select id from conversation_message where conversation_id = :id "
                    + "order by seq").param("id", conversationId).query(String.class).list();
            List<TrackerHit> hits = new ArrayList<>(messages.size() * 2);
            for (int s = 0; s < messages.size(); s++) {
                // two phrases per sentence; one time in four both of one tracker (one hit, two phrases)
                int first = (c + s) % TRACKERS;
                int second = s % 4 == 0 ? first : (c + 3 * s + 1) % TRACKERS;
                hits.add(hit(messages.get(s), trackerIds.get(first), first, (c + s) % PHRASES));
                hits.add(hit(messages.get(s), trackerIds.get(second), second, (c + s + 1) % PHRASES));
            }
            conversations.recordHits(account, conversationId, hits);
            stored += hits.size();
        }
        return stored;
    }

    private static TrackerHit hit(String messageId, String trackerId, int tracker, int phrase) {
        return new TrackerHit(messageId, trackerId, "Tracker " + tracker, "phrase " + phrase + " of tracker "
                + tracker, -1, 0.8, 0, 10);
    }

    /** The endpoint's figures (series with roles, then top phrases) computed from the hits. */
    private long rawFigures(AccountId account, Instant from, boolean denormalised) {
        String hits = denormalised ? """
                select tracker_id, date_trunc('month', started_on at time zone 'UTC') bucket,
                       count(distinct conversation_id), count(distinct (message_id, tracker_id)),
                       count(distinct (message_id, tracker_id)) filter (where from_role = 'agent'),
                       count(distinct (message_id, tracker_id)) filter (where from_role = 'customer')
                from bench_hit_denormalised where account_id = :account and started_on >= :from
                group by 1, 2""" : """
                select h.tracker_id, date_trunc('month', s.started_on at time zone 'UTC') bucket,
                       count(distinct h.conversation_id), count(distinct (h.message_id, h.tracker_id)),
                       count(distinct (h.message_id, h.tracker_id)) filter (where m.from_role = 'agent'),
                       count(distinct (h.message_id, h.tracker_id)) filter (where m.from_role = 'customer')
                from tracker_hit h join conversation_start s on s.id = h.conversation_id
                join conversation_message m on m.id = h.message_id
                where s.account_id = :account and s.started_on >= :from
                group by 1, 2""";
        String phrases = denormalised ? """
                select tracker_id, phrase, count(*) from bench_hit_denormalised
                where account_id = :account and started_on >= :from group by 1, 2""" : """
                select h.tracker_id, h.phrase, count(*)
                from tracker_hit h join conversation_start s on s.id = h.conversation_id
                where s.account_id = :account and s.started_on >= :from group by 1, 2""";
        long rows = jdbc.sql(hits).param("account", account.value()).param("from", Timestamp.from(from))
                .query((rs, row) -> 1).list().size();
        return rows + jdbc.sql(phrases).param("account", account.value()).param("from", Timestamp.from(from))
                .query((rs, row) -> 1).list().size();
    }

    private static long[] time(LongSupplier call, int warmUp, int runs) {
        for (int i = 0; i < warmUp; i++) {
            call.getAsLong();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            call.getAsLong();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static String line(String name, long[] sorted) {
        return String.format(Locale.ROOT, "    %-66s p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", name,
                percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1] / 1e6);
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static AccountId account(TestApi api) {
        return new AccountId(UUID.fromString(api.accountId()));
    }
}
