package io.opentrackers.database;

import java.sql.SQLException;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Turns a start-up that fails on the database into Spring Boot's "APPLICATION FAILED TO START" summary, saying which
 * database, why, and what to change. Without it an operator with a wrong URL, password or database name got a
 *136-line stack trace of bean names (accountRepository → jdbcClient → flywayInitializer) with the driver's message
 * five causes down; a second service on an embedded data directory already in use got "The leftover PostgreSQL did
 * not stop" after 30 s.
 */
class DatabaseFailureAnalyzer implements FailureAnalyzer {

    /** SQL state classes of failures to reach the database at all: connection, authorization, unknown database. */
    private static final Set<String> CONNECTION_STATE_CLASSES = Set.of("08", "28", "3D");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

    private final Environment environment;

    DatabaseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EmbeddedDatabaseInUseException inUse) {
                return inUse(inUse);
            }
            if (cause instanceof EmbeddedDataDirectoryException unusable) {
                return unusable(unusable);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isConnectionFailure(sql)) {
                return unreachable(sql);
            }
        }
        return null;
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.length() >= 2 && CONNECTION_STATE_CLASSES.contains(state.substring(0, 2));
    }

    private FailureAnalysis unreachable(SQLException e) {
        String url = environment.getProperty("spring.datasource.url");
        if (!StringUtils.hasText(url)) {
            return new FailureAnalysis("The service could not connect to its embedded PostgreSQL: " + e.getMessage()
                    + " (SQL state " + e.getSQLState() + ")",
                    "See the embedded PostgreSQL's own lines above (logger io.zonky.test.db.postgres). To use a "
                            + "server of your own instead, set spring.datasource.url (README, \"Using your own "
                            + "PostgreSQL\").", e);
        }
        String user = environment.getProperty("spring.datasource.username");
        String description = "The service could not connect to its database.\n\n"
                + "    URL:    " + withoutPassword(url) + "\n"
                + "    User:   " + (StringUtils.hasText(user) ? user : "(none set)") + "\n"
                + "    Reason: " + e.getMessage() + " (SQL state " + e.getSQLState() + ")";
        String action = "Check spring.datasource.url, spring.datasource.username and spring.datasource.password "
                + "(environment SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD): the "
                + "server must be running, reachable from this host, and hold the database and the user. Leave "
                + "spring.datasource.url unset to run the embedded PostgreSQL instead (README, \"Using your own "
                + "PostgreSQL\").";
        return new FailureAnalysis(description, action, e);
    }

    private static FailureAnalysis inUse(EmbeddedDatabaseInUseException e) {
        String port = e.port();
        String share = port == null ? ""
                : ", or share that service's database: --spring.datasource.url=jdbc:postgresql://localhost:" + port
                        + "/postgres --spring.datasource.username=postgres";
        return new FailureAnalysis(e.getMessage() + ". Its PostgreSQL is left running.",
                "Stop the other service first, give this one its own trackers.embedded-db.data-dir (or another "
                        + "working directory: the default is ./data/postgres)" + share
                        + " (docs/operations.md, \"Two instances\").", e);
    }

    private static FailureAnalysis unusable(EmbeddedDataDirectoryException e) {
        return new FailureAnalysis(e.getMessage() + ".",
                "Set trackers.embedded-db.data-dir (environment TRACKERS_EMBEDDEDDB_DATADIR) to a directory this user "
                        + "can create and write (the default is ./data/postgres of the working directory), or set "
                        + "spring.datasource.url to use a PostgreSQL of your own (README, \"Using your own "
                        + "PostgreSQL\").", e);
    }

    static String withoutPassword(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1********");
    }
}
