package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerConditions;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tracker rows. Every query filters by account: that is what keeps one account's trackers from another. */
@Repository
class TrackerRepository {

    private static final String COLUMNS = """
            id, account_id, name, description, categories, languages, vocabulary, sensitivity, speaker,
            window_anchor, window_seconds, window_messages, exclude, version, created_on, updated_on""";

    private final JdbcClient jdbc;

    TrackerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the account row until the transaction ends, so that concurrent creates for one account take turns
     * between counting and inserting (the per-account limit stays exact). False when the account is gone.
     */
    boolean lockAccount(AccountId account) {
        return jdbc.sql("select id from account where id = ? for update").param(account.value())
                .query(UUID.class).optional().isPresent();
    }

    /** How many trackers each of these accounts has (accounts without any are left out). */
    Map<AccountId, Long> countsOf(Collection<AccountId> accounts) {
        Map<AccountId, Long> counts = new HashMap<>();
        jdbc.sql("select account_id, count(*) from tracker where account_id = any(?) group by account_id")
                .param(accounts.stream().map(AccountId::value).toArray(UUID[]::new))
                .query(rs -> {
                    counts.put(new AccountId(rs.getObject(1, UUID.class)), rs.getLong(2));
                });
        return counts;
    }

    /** Deletes the account's trackers; their examples and vocabulary vectors go by cascade. */
    void deleteAllOf(AccountId account) {
        jdbc.sql("delete from tracker where account_id = ?").param(account.value()).update();
    }

    int count(AccountId account) {
        return jdbc.sql("select count(*) from tracker where account_id = ?").param(account.value())
                .query(Integer.class).single();
    }

    List<Tracker> findAll(AccountId account) {
        return jdbc.sql("select " + COLUMNS + " from tracker where account_id = ? order by seq")
                .param(account.value()).query(TrackerRepository::map).list();
    }

    List<Tracker> findByName(AccountId account, String name) {
        return jdbc.sql("select " + COLUMNS + " from tracker where account_id = ? and name = ?")
                .params(account.value(), name).query(TrackerRepository::map).list();
    }

    /** The names among {@code names} that the account already uses (exact, case-sensitive). */
    List<String> existingNames(AccountId account, List<String> names) {
        return jdbc.sql("select name from tracker where account_id = ? and name = any(?)")
                .params(account.value(), names.toArray(String[]::new)).query(String.class).list();
    }

    Optional<Tracker> find(AccountId account, String id) {
        return jdbc.sql("select " + COLUMNS + " from tracker where account_id = ? and id = ?")
                .params(account.value(), id).query(TrackerRepository::map).optional();
    }

    /** Like {@link #find} but holds the row until the transaction ends (read-modify-write of a PATCH). */
    Optional<Tracker> findForUpdate(AccountId account, String id) {
        return jdbc.sql("select " + COLUMNS + " from tracker where account_id = ? and id = ? for update")
                .params(account.value(), id).query(TrackerRepository::map).optional();
    }

    void insert(Tracker tracker) {
        TrackerContent c = tracker.content();
        jdbc.sql("""
                        insert into tracker (id, account_id, name, description, categories, languages, vocabulary,
                                             sensitivity, speaker, window_anchor, window_seconds, window_messages,
                                             exclude, version, created_on, updated_on)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(tracker.id(), tracker.account().value(), c.name(), c.description(), array(c.categories()),
                        array(c.languages()), array(c.vocabulary()), c.sensitivity(), c.conditions().speaker(),
                        anchor(c), seconds(c), messages(c), array(c.conditions().exclude()), tracker.version(),
                        Timestamp.from(tracker.createdOn()), Timestamp.from(tracker.updatedOn()))
                .update();
    }

    void update(Tracker tracker) {
        TrackerContent c = tracker.content();
        jdbc.sql("""
                        update tracker set name = ?, description = ?, categories = ?, languages = ?, vocabulary = ?,
                                           sensitivity = ?, speaker = ?, window_anchor = ?, window_seconds = ?,
                                           window_messages = ?, exclude = ?, version = ?, updated_on = ?
                        where account_id = ? and id = ?""")
                .params(c.name(), c.description(), array(c.categories()), array(c.languages()),
                        array(c.vocabulary()), c.sensitivity(), c.conditions().speaker(), anchor(c), seconds(c),
                        messages(c), array(c.conditions().exclude()), tracker.version(),
                        Timestamp.from(tracker.updatedOn()), tracker.account().value(), tracker.id())
                .update();
    }

    boolean delete(AccountId account, String id) {
        return jdbc.sql("delete from tracker where account_id = ? and id = ?").params(account.value(), id)
                .update() == 1;
    }

    private static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }

    private static String anchor(TrackerContent c) {
        return c.conditions().window() == null ? null : c.conditions().window().anchor();
    }

    private static Integer seconds(TrackerContent c) {
        return c.conditions().window() == null ? null : c.conditions().window().seconds();
    }

    private static Integer messages(TrackerContent c) {
        return c.conditions().window() == null ? null : c.conditions().window().messages();
    }

    private static Tracker map(ResultSet rs, int row) throws SQLException {
        Object sensitivity = rs.getObject("sensitivity");
        String anchor = rs.getString("window_anchor");
        TrackerConditions.Window window = anchor == null ? null : new TrackerConditions.Window(anchor,
                (Integer) rs.getObject("window_seconds"), (Integer) rs.getObject("window_messages"));
        TrackerContent content = new TrackerContent(rs.getString("name"), list(rs.getArray("vocabulary")),
                rs.getString("description"), list(rs.getArray("categories")), list(rs.getArray("languages")),
                sensitivity == null ? null : ((Number) sensitivity).doubleValue(),
                new TrackerConditions(rs.getString("speaker"), window, list(rs.getArray("exclude"))));
        return new Tracker(rs.getString("id"), new AccountId(rs.getObject("account_id", UUID.class)), content,
                rs.getLong("version"), rs.getTimestamp("created_on").toInstant(),
                rs.getTimestamp("updated_on").toInstant());
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
