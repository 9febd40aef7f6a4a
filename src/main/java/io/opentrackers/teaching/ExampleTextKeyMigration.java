package io.opentrackers.teaching;

import io.opentrackers.common.CodeMigration;
import io.opentrackers.common.TextForms;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * Flyway V15: a tracker holds one example per text. Adds {@code tracker_example.text_key} ({@link TextForms#key} of
 * the text), removes the duplicates that earlier writes stored (keeping the latest example of each text: its label
 * is the one the user gave last), and makes {@code (tracker_id, text_key)} unique, which the upsert of
 * {@link ExampleRepository#upsert} relies on.
 * <p>
 * A Java migration because the key is Java's: NFC and case folding exactly as {@link TextForms} does them, which
 * SQL cannot reproduce ({@code lower()} depends on the database's locale). Spring Boot's Flyway runs every
 * {@link CodeMigration} bean with the SQL migrations of {@code db/migration}.
 */
@Component
class ExampleTextKeyMigration extends CodeMigration {

    private static final int BATCH = 1000;

    ExampleTextKeyMigration() {
        super("15", "tracker example text keys", 15_001);
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("alter table tracker_example add column text_key text");
        }
        List<String> duplicates = new ArrayList<>();
        List<String[]> keys = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select id, tracker_id, text from tracker_example order by tracker_id, seq desc")) {
            String tracker = null;
            Set<String> seen = new HashSet<>();
            while (rows.next()) {
                if (!rows.getString(2).equals(tracker)) {
                    tracker = rows.getString(2);
                    seen.clear();
                }
                String key = TextForms.key(rows.getString(3));
                if (seen.add(key)) {
                    keys.add(new String[] {key, rows.getString(1)});
                } else {
                    duplicates.add(rows.getString(1)); // an older example of a text the tracker has a later one of
                }
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("delete from tracker_example where id = ?")) {
            for (int i = 0; i < duplicates.size(); i++) {
                delete.setString(1, duplicates.get(i));
                delete.addBatch();
                if (i % BATCH == BATCH - 1 || i == duplicates.size() - 1) {
                    delete.executeBatch();
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "update tracker_example set text_key = ? where id = ?")) {
            for (int i = 0; i < keys.size(); i++) {
                update.setString(1, keys.get(i)[0]);
                update.setString(2, keys.get(i)[1]);
                update.addBatch();
                if (i % BATCH == BATCH - 1 || i == keys.size() - 1) {
                    update.executeBatch();
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("alter table tracker_example alter column text_key set not null");
            statement.execute("create unique index tracker_example_text_key_idx on tracker_example (tracker_id, text_key)");
        }
    }
}
