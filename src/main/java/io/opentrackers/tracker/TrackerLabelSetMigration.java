package io.opentrackers.tracker;

import io.opentrackers.common.CodeMigration;
import java.sql.Array;
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
 * Flyway V19: a tracker's categories and languages are sets since 2026-11-27 ({@link TrackerRules} refuses a label
 * that repeats another under {@link TrackerRules#labelKey}). Trackers stored before with a repeat
 * ({@code ["sales", "Sales"]}) keep the first spelling of each label, in their order: otherwise reading such a tracker
 * and writing it back (PUT), or any PATCH of it, would be refused for a repeat the client never sent. A Java
 * migration so that "the same label" is the rule's own key, not an SQL imitation of it.
 */
@Component
class TrackerLabelSetMigration extends CodeMigration {

    TrackerLabelSetMigration() {
        super("19", "tracker categories and languages as sets", 19_001);
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        List<Object[]> changes = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select id, categories, languages from tracker"
                        + " where cardinality(categories) > 1 or cardinality(languages) > 1")) {
            while (rows.next()) {
                String[] categories = (String[]) rows.getArray(2).getArray();
                String[] languages = (String[]) rows.getArray(3).getArray();
                String[] distinctCategories = distinct(categories);
                String[] distinctLanguages = distinct(languages);
                if (distinctCategories.length < categories.length || distinctLanguages.length < languages.length) {
                    changes.add(new Object[] {rows.getString(1), distinctCategories, distinctLanguages});
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "update tracker set categories = ?, languages = ? where id = ?")) {
            for (Object[] change : changes) {
                Array categories = connection.createArrayOf("text", (String[]) change[1]);
                Array languages = connection.createArrayOf("text", (String[]) change[2]);
                update.setArray(1, categories);
                update.setArray(2, languages);
                update.setString(3, (String) change[0]);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** The labels without the ones that repeat an earlier label, in their order. */
    static String[] distinct(String[] labels) {
        Set<String> seen = new HashSet<>();
        List<String> kept = new ArrayList<>(labels.length);
        for (String label : labels) {
            if (label == null || seen.add(TrackerRules.labelKey(label))) {
                kept.add(label);
            }
        }
        return kept.toArray(new String[0]);
    }
}
