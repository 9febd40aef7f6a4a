package io.opentrackers.teaching;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.LabelledExample;
import io.opentrackers.tracker.TrackerExampleSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Example rows. Queries take a tracker id that the caller has checked belongs to the account
 * ({@code TrackerRevisions}): that check is what keeps one account's examples from another.
 */
@Repository
class ExampleRepository {

    private final JdbcClient jdbc;

    ExampleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    int count(String trackerId) {
        return jdbc.sql("select count(*) from tracker_example where tracker_id = ?").param(trackerId)
                .query(Integer.class).single();
    }

    List<Example> list(String trackerId) {
        return jdbc.sql("select id, text, match, created_on from tracker_example where tracker_id = ? order by seq")
                .param(trackerId)
                .query((rs, row) -> new Example(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    /** The tracker's example of this id, if it has one. */
    java.util.Optional<Example> find(String trackerId, String exampleId) {
        return jdbc.sql("select id, text, match, created_on from tracker_example where tracker_id = ? and id = ?")
                .params(trackerId, exampleId)
                .query((rs, row) -> new Example(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant()))
                .optional();
    }

    /** The tracker's examples whose {@link io.opentrackers.common.TextForms#key text key} is one of {@code keys}. */
    Map<String, Example> findByKeys(String trackerId, Collection<String> keys) {
        Map<String, Example> found = new HashMap<>();
        jdbc.sql("select text_key, id, text, match, created_on from tracker_example where tracker_id = ? "
                        + "and text_key = any(?)")
                .params(trackerId, keys.toArray(String[]::new))
                .query((rs, row) -> found.put(rs.getString(1), new Example(rs.getString(2), rs.getString(3),
                        rs.getBoolean(4), rs.getTimestamp(5).toInstant())))
                .list();
        return found;
    }

    /**
     * Stores each example under its key, with a new id, created at {@code now}, or gives the tracker's example of that key the new
     * label (same id, text and place): the unique index on {@code (tracker_id, text_key)} keeps one row per text even
     * if writers raced. Returns the stored rows by key.
     */
    Map<String, Example> upsert(String trackerId, Map<String, LabelledExample> examplesByKey, Instant now) {
        List<String> keys = new ArrayList<>(examplesByKey.keySet());
        Map<String, Example> stored = new HashMap<>();
        jdbc.sql("""
                        insert into tracker_example (id, tracker_id, text, text_key, match, created_on)
                        select e.id, ?, e.text, e.text_key, e.match, ?
                        from unnest(?::varchar[], ?::text[], ?::text[], ?::boolean[]) with ordinality
                             as e(id, text, text_key, match, position)
                        order by e.position
                        on conflict (tracker_id, text_key) do update set match = excluded.match
                        returning text_key, id, text, match, created_on""")
                .params(trackerId, Timestamp.from(now),
                        keys.stream().map(k -> UUID.randomUUID().toString()).toArray(String[]::new),
                        keys.stream().map(k -> examplesByKey.get(k).text()).toArray(String[]::new),
                        keys.toArray(String[]::new),
                        keys.stream().map(k -> examplesByKey.get(k).match()).toArray(Boolean[]::new))
                .query((rs, row) -> stored.put(rs.getString(1), new Example(rs.getString(2), rs.getString(3),
                        rs.getBoolean(4), rs.getTimestamp(5).toInstant())))
                .list();
        return stored;
    }

    boolean delete(String trackerId, String exampleId) {
        return jdbc.sql("delete from tracker_example where tracker_id = ? and id = ?").params(trackerId, exampleId)
                .update() == 1;
    }

    Map<String, List<LabelledExample>> byTrackers(Collection<String> trackerIds) {
        Map<String, List<LabelledExample>> found = new LinkedHashMap<>();
        jdbc.sql("select tracker_id, text, match from tracker_example where tracker_id = any(?) order by seq")
                .param(trackerIds.toArray(String[]::new))
                .query((rs, row) -> found.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new LabelledExample(rs.getString(2), rs.getBoolean(3))))
                .list();
        return found;
    }

    /**
     * Positive and negative examples of each of these trackers that has any, in one grouped query. Unlike the queries
     * above it is scoped to the account itself (the tracker list hands it many ids at once).
     */
    Map<String, TrackerExampleSource.Counts> countsByTracker(AccountId account, Collection<String> trackerIds) {
        Map<String, TrackerExampleSource.Counts> found = new HashMap<>();
        jdbc.sql("""
                        select e.tracker_id, count(*) filter (where e.match), count(*) filter (where not e.match)
                        from tracker_example e join tracker t on t.id = e.tracker_id
                        where t.account_id = ? and e.tracker_id = any(?)
                        group by e.tracker_id""")
                .params(account.value(), trackerIds.toArray(String[]::new))
                .query((rs, row) -> found.put(rs.getString(1),
                        new TrackerExampleSource.Counts(rs.getInt(2), rs.getInt(3))))
                .list();
        return found;
    }
}
