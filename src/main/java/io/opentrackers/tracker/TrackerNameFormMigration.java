package io.opentrackers.tracker;

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
 * Flyway V16: tracker names are stored in their {@link TrackerRules#nameForm} (trimmed, NFC, then also single plain
 * spaces) since a management audit found {@code "Cafe\u0301"} and {@code "Caf\u00e9"} stored as two trackers, and
 * {@code ?name=} now looks names up in that form. Names stored before are brought into it, so that they stay findable
 * by the name a user types. A database that ran V16 before the form had single spaces gets them from V18
 * ({@link VisibleNames}).
 * <p>
 * A name is left as it is when its form is already another tracker's name in the account (the two trackers were
 * created as two, and merging them is the user's decision; both stay listed and addressable by id), when the form
 * would be empty, or when it would not fit the column (NFC lengthens a few characters, such as U+0958). A Java
 * migration because the form is Java's ({@code java.text.Normalizer}); PostgreSQL's {@code normalize()} needs a
 * UTF-8 database and may differ in its Unicode version.
 */
@Component
class TrackerNameFormMigration extends CodeMigration {

    /**
     * Flyway V18: the names V16 left with what the name rule refuses since (2026-11-27): no-break or repeated
     * spaces inside ({@code "Pricing\u00a0Objection"}, stored apart from {@code "Pricing Objection"}) and characters
     * that show as nothing ({@code "Pricing\u200bObjection"}), which are removed. With the same exceptions as V16:
     * a form another tracker of the account already has, or an empty one, leaves the name as it was.
     */
    @Component
    static final class VisibleNames extends TrackerNameFormMigration {

        VisibleNames() {
            super("18", "tracker names as they read", 18_001);
        }

        @Override
        String form(String name) {
            return TrackerRules.nameForm(TextForms.withoutHiddenCharacters(name));
        }
    }

    /** The length of {@code tracker.name} (V1), in characters. */
    private static final int NAME_COLUMN_LENGTH = 128;
    private static final int BATCH = 1000;

    TrackerNameFormMigration() {
        this("16", "tracker names in NFC", 16_001);
    }

    private TrackerNameFormMigration(String version, String description, int checksum) {
        super(version, description, checksum);
    }

    /** The form a stored name is brought into. */
    String form(String name) {
        return TrackerRules.nameForm(name);
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        List<String[]> renames = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select id, account_id, name from tracker order by account_id")) {
            String account = null;
            Set<String> taken = new HashSet<>();
            List<String[]> candidates = new ArrayList<>();
            while (rows.next()) {
                if (!rows.getString(2).equals(account)) {
                    renames.addAll(free(candidates, taken));
                    account = rows.getString(2);
                    taken.clear();
                    candidates.clear();
                }
                String name = rows.getString(3);
                String form = form(name);
                taken.add(name);
                if (!form.equals(name) && !form.isEmpty()
                        && form.codePointCount(0, form.length()) <= NAME_COLUMN_LENGTH) {
                    candidates.add(new String[] {rows.getString(1), form});
                }
            }
            renames.addAll(free(candidates, taken));
        }
        try (PreparedStatement update = connection.prepareStatement("update tracker set name = ? where id = ?")) {
            for (int i = 0; i < renames.size(); i++) {
                update.setString(1, renames.get(i)[1]);
                update.setString(2, renames.get(i)[0]);
                update.addBatch();
                if (i % BATCH == BATCH - 1 || i == renames.size() - 1) {
                    update.executeBatch();
                }
            }
        }
    }

    /** The candidates (id, form) of one account whose form no tracker of it has, taking each form once. */
    private static List<String[]> free(List<String[]> candidates, Set<String> taken) {
        List<String[]> free = new ArrayList<>();
        for (String[] candidate : candidates) {
            if (taken.add(candidate[1])) {
                free.add(candidate);
            }
        }
        return free;
    }
}
