package io.opentrackers.analytics;

import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.HitsStored;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The daily rollups of V11 ({@code tracker_daily_stats}, {@code tracker_phrase_daily_stats}): added to as hits are
 * stored, read by the analytics endpoint. Every query filters by account.
 */
@Repository
class AnalyticsRepository {

    private final JdbcClient jdbc;

    AnalyticsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What newly stored hits add to one tracker's day; {@code name} is the latest name they carry. */
    record TrackerDelta(String name, int conversations, int hits, int agentHits, int customerHits) {

        static TrackerDelta of(HitsStored.Hit hit) {
            boolean counted = hit.firstOfMessage();
            return new TrackerDelta(hit.trackerName(), hit.firstOfConversation() ? 1 : 0, counted ? 1 : 0,
                    counted && "agent".equals(hit.speakerRole()) ? 1 : 0,
                    counted && "customer".equals(hit.speakerRole()) ? 1 : 0);
        }

        TrackerDelta plus(TrackerDelta later) {
            return new TrackerDelta(later.name, conversations + later.conversations, hits + later.hits,
                    agentHits + later.agentHits, customerHits + later.customerHits);
        }
    }

    record PhraseKey(String trackerId, String phrase) implements Comparable<PhraseKey> {

        private static final Comparator<PhraseKey> ORDER =
                Comparator.comparing(PhraseKey::trackerId).thenComparing(PhraseKey::phrase);

        @Override
        public int compareTo(PhraseKey other) {
            return ORDER.compare(this, other);
        }
    }

    /** The trackers' deltas as the column arrays the statements unnest, in the map's order. */
    private record DeltaColumns(String[] ids, String[] names, Integer[] conversations, Integer[] hits,
                                Integer[] agent, Integer[] customer) {

        static DeltaColumns of(Map<String, TrackerDelta> trackers) {
            int n = trackers.size();
            DeltaColumns columns = new DeltaColumns(new String[n], new String[n], new Integer[n], new Integer[n],
                    new Integer[n], new Integer[n]);
            int i = 0;
            for (Map.Entry<String, TrackerDelta> entry : trackers.entrySet()) {
                TrackerDelta delta = entry.getValue();
                columns.ids[i] = entry.getKey();
                columns.names[i] = delta.name();
                columns.conversations[i] = delta.conversations();
                columns.hits[i] = delta.hits();
                columns.agent[i] = delta.agentHits();
                columns.customer[i] = delta.customerHits();
                i++;
            }
            return columns;
        }
    }

    /** Deletes every rollup of the account. */
    void deleteAllOf(AccountId account) {
        jdbc.sql("delete from tracker_daily_stats where account_id = ?").param(account.value()).update();
        jdbc.sql("delete from tracker_phrase_daily_stats where account_id = ?").param(account.value()).update();
    }

    /** Adds to the trackers' rows of the day, in the map's order (the order their row locks are taken in). */
    void addDaily(AccountId account, LocalDate day, Map<String, TrackerDelta> trackers) {
        DeltaColumns columns = DeltaColumns.of(trackers);
        jdbc.sql("""
                insert into tracker_daily_stats as d (account_id, day, tracker_id, tracker_name, conversations, hits,
                    agent_hits, customer_hits)
                select :account, :day, t.id, t.name, t.conversations, t.hits, t.agent, t.customer
                from unnest(cast(:ids as text[]), cast(:names as text[]), cast(:conversations as int[]),
                            cast(:hits as int[]), cast(:agent as int[]), cast(:customer as int[]))
                     with ordinality as t(id, name, conversations, hits, agent, customer, position)
                order by t.position
                on conflict (account_id, day, tracker_id) do update set
                    tracker_name = excluded.tracker_name,
                    conversations = d.conversations + excluded.conversations,
                    hits = d.hits + excluded.hits,
                    agent_hits = d.agent_hits + excluded.agent_hits,
                    customer_hits = d.customer_hits + excluded.customer_hits""")
                .param("account", account.value()).param("day", Date.valueOf(day))
                .param("ids", columns.ids()).param("names", columns.names())
                .param("conversations", columns.conversations()).param("hits", columns.hits())
                .param("agent", columns.agent()).param("customer", columns.customer())
                .update();
    }

    /** The phrases' hits as the column arrays the statements unnest, in the map's order. */
    private record PhraseColumns(String[] ids, String[] phrases, Integer[] hits) {

        static PhraseColumns of(Map<PhraseKey, Integer> phrases) {
            int n = phrases.size();
            PhraseColumns columns = new PhraseColumns(new String[n], new String[n], new Integer[n]);
            int i = 0;
            for (Map.Entry<PhraseKey, Integer> entry : phrases.entrySet()) {
                columns.ids[i] = entry.getKey().trackerId();
                columns.phrases[i] = entry.getKey().phrase();
                columns.hits[i] = entry.getValue();
                i++;
            }
            return columns;
        }
    }

    /** Adds to the phrases' rows of the day, in the map's order. */
    void addPhrases(AccountId account, LocalDate day, Map<PhraseKey, Integer> phrases) {
        PhraseColumns columns = PhraseColumns.of(phrases);
        String[] ids = columns.ids();
        String[] values = columns.phrases();
        Integer[] hits = columns.hits();
        jdbc.sql("""
                insert into tracker_phrase_daily_stats as p (account_id, day, tracker_id, phrase, hits)
                select :account, :day, t.id, t.phrase, t.hits
                from unnest(cast(:ids as text[]), cast(:phrases as text[]), cast(:hits as int[]))
                     with ordinality as t(id, phrase, hits, position)
                order by t.position
                on conflict (account_id, day, tracker_id, phrase) do update set hits = p.hits + excluded.hits""")
                .param("account", account.value()).param("day", Date.valueOf(day))
                .param("ids", ids).param("phrases", values).param("hits", hits)
                .update();
    }

    /**
     * Takes the deltas back from the trackers' rows of the day, locking them in the map's order first (as
     * {@link #addDaily} does); a row left without hits is removed. Never below zero, whatever the rows held.
     */
    void subtractDaily(AccountId account, LocalDate day, Map<String, TrackerDelta> trackers) {
        DeltaColumns columns = DeltaColumns.of(trackers);
        String[] ids = columns.ids();
        lockInOrder("tracker_daily_stats", account, day, ids, null);
        jdbc.sql("""
                update tracker_daily_stats d set
                    conversations = greatest(d.conversations - t.conversations, 0),
                    hits = greatest(d.hits - t.hits, 0),
                    agent_hits = greatest(d.agent_hits - t.agent, 0),
                    customer_hits = greatest(d.customer_hits - t.customer, 0)
                from unnest(cast(:ids as text[]), cast(:conversations as int[]), cast(:hits as int[]),
                            cast(:agent as int[]), cast(:customer as int[])) as t(id, conversations, hits, agent, customer)
                where d.account_id = :account and d.day = :day and d.tracker_id = t.id""")
                .param("account", account.value()).param("day", Date.valueOf(day))
                .param("ids", ids).param("conversations", columns.conversations()).param("hits", columns.hits())
                .param("agent", columns.agent()).param("customer", columns.customer())
                .update();
        jdbc.sql("""
                delete from tracker_daily_stats
                where account_id = :account and day = :day and tracker_id = any(:ids) and hits = 0""")
                .param("account", account.value()).param("day", Date.valueOf(day)).param("ids", ids).update();
    }

    /** Takes the hits back from the phrases' rows of the day, in the map's order; a row left at zero is removed. */
    void subtractPhrases(AccountId account, LocalDate day, Map<PhraseKey, Integer> phrases) {
        PhraseColumns columns = PhraseColumns.of(phrases);
        String[] ids = columns.ids();
        String[] values = columns.phrases();
        Integer[] hits = columns.hits();
        lockInOrder("tracker_phrase_daily_stats", account, day, ids, values);
        jdbc.sql("""
                update tracker_phrase_daily_stats p set hits = greatest(p.hits - t.hits, 0)
                from unnest(cast(:ids as text[]), cast(:phrases as text[]), cast(:hits as int[])) as t(id, phrase, hits)
                where p.account_id = :account and p.day = :day and p.tracker_id = t.id and p.phrase = t.phrase""")
                .param("account", account.value()).param("day", Date.valueOf(day))
                .param("ids", ids).param("phrases", values).param("hits", hits)
                .update();
        jdbc.sql("""
                delete from tracker_phrase_daily_stats p
                using unnest(cast(:ids as text[]), cast(:phrases as text[])) as t(id, phrase)
                where p.account_id = :account and p.day = :day and p.tracker_id = t.id and p.phrase = t.phrase
                  and p.hits = 0""")
                .param("account", account.value()).param("day", Date.valueOf(day))
                .param("ids", ids).param("phrases", values).update();
    }

    /**
     * Locks the rows of the day for the given trackers (and phrases, when {@code phrases} is not null: the rows of
     * {@code tracker_phrase_daily_stats}) in the order given, the order {@link #addDaily} and {@link #addPhrases}
     * take them in: an UPDATE alone locks in whatever order its plan reads the rows.
     */
    private void lockInOrder(String table, AccountId account, LocalDate day, String[] ids, String[] phrases) {
        String phraseColumn = phrases == null ? "" : ", cast(:phrases as text[])";
        String phraseAlias = phrases == null ? "" : ", phrase";
        String phraseMatch = phrases == null ? "" : " and r.phrase = t.phrase";
        jdbc.sql("""
                select 1 from unnest(cast(:ids as text[])%s) with ordinality as t(id%s, position)
                join %s r on r.account_id = :account and r.day = :day and r.tracker_id = t.id%s
                order by t.position
                for update of r""".formatted(phraseColumn, phraseAlias, table, phraseMatch))
                .param("account", account.value()).param("day", Date.valueOf(day)).param("ids", ids)
                .param("phrases", phrases)
                .query().listOfRows();
    }

    /**
     * One tracker's figures in one bucket (the bucket's first day), with the tracker's name of the bucket's latest
     * stored day.
     */
    record BucketRow(String trackerId, String name, LocalDate bucket, int conversations, int hits, int agentHits,
                     int customerHits) {
    }

    record PhraseRow(String trackerId, String phrase, int hits) {
    }

    /**
     * The account's figures per tracker and bucket over days {@code [from, to)}; {@code unit} is PostgreSQL's
     * {@code date_trunc} field ({@code day}, {@code week}: ISO weeks from Monday, {@code month}). Only the given
     * trackers when {@code trackerIds} is not null.
     */
    List<BucketRow> buckets(AccountId account, LocalDate from, LocalDate to, String unit, Collection<String> trackerIds) {
        return jdbc.sql("""
                select tracker_id, cast(date_trunc(:unit, cast(day as timestamp)) as date) bucket,
                       (array_agg(tracker_name order by day desc))[1] tracker_name,
                       sum(conversations) conversations, sum(hits) hits, sum(agent_hits) agent_hits,
                       sum(customer_hits) customer_hits
                from tracker_daily_stats
                where account_id = :account and day >= :from and day < :to %s
                group by tracker_id, bucket""".formatted(trackerFilter(trackerIds)))
                .param("account", account.value()).param("unit", unit)
                .param("from", Date.valueOf(from)).param("to", Date.valueOf(to))
                .param("ids", trackerIds == null ? null : trackerIds.toArray(String[]::new))
                .query((rs, row) -> new BucketRow(rs.getString("tracker_id"), rs.getString("tracker_name"),
                        rs.getDate("bucket").toLocalDate(),
                        rs.getInt("conversations"), rs.getInt("hits"), rs.getInt("agent_hits"),
                        rs.getInt("customer_hits")))
                .list();
    }

    /** The {@code limit} phrases with most hits of each tracker over days {@code [from, to)}, most first. */
    List<PhraseRow> topPhrases(AccountId account, LocalDate from, LocalDate to, int limit,
            Collection<String> trackerIds) {
        return jdbc.sql("""
                select tracker_id, phrase, hits from (
                    select tracker_id, phrase, sum(hits) hits,
                           row_number() over (partition by tracker_id order by sum(hits) desc, phrase) position
                    from tracker_phrase_daily_stats
                    where account_id = :account and day >= :from and day < :to %s
                    group by tracker_id, phrase) ranked
                where position <= :limit
                order by tracker_id, position""".formatted(trackerFilter(trackerIds)))
                .param("account", account.value()).param("limit", limit)
                .param("from", Date.valueOf(from)).param("to", Date.valueOf(to))
                .param("ids", trackerIds == null ? null : trackerIds.toArray(String[]::new))
                .query((rs, row) -> new PhraseRow(rs.getString("tracker_id"), rs.getString("phrase"),
                        rs.getInt("hits")))
                .list();
    }

    /** Tracker id → the name of its latest stored hit, for the account's trackers among {@code trackerIds}. */
    Map<String, String> storedNames(AccountId account, Collection<String> trackerIds) {
        Map<String, String> names = new HashMap<>();
        if (trackerIds.isEmpty()) {
            return names;
        }
        jdbc.sql("""
                select distinct on (tracker_id) tracker_id, tracker_name from tracker_daily_stats
                where account_id = :account and tracker_id = any(:ids)
                order by tracker_id, day desc""")
                .param("account", account.value()).param("ids", trackerIds.toArray(String[]::new))
                .query((rs, row) -> names.put(rs.getString("tracker_id"), rs.getString("tracker_name")))
                .list();
        return names;
    }

    private static String trackerFilter(Collection<String> trackerIds) {
        return trackerIds == null ? "" : "and tracker_id = any(:ids)";
    }
}
