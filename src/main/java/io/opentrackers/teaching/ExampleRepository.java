package io.opentrackers.teaching;

import io.opentrackers.matching.LabelledExample;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Example rows. Queries take a tracker id that the caller has checked belongs to the account
 * ({@code TrackerRevisions}): that check is what keeps one account's examples from another.
 */
@Repository
class ExampleRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ExampleRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
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

    void insert(String trackerId, List<Example> examples) {
        List<Object[]> rows = new ArrayList<>(examples.size());
        for (Example e : examples) {
            rows.add(new Object[] {e.id(), trackerId, e.text(), e.match(), Timestamp.from(e.createdOn())});
        }
        batch.batchUpdate("insert into tracker_example (id, tracker_id, text, match, created_on) values (?, ?, ?, ?, ?)",
                rows);
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
}
