package io.opentrackers.common;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure because the database could not be reached (stopped, restarting, a failover, the network) from
 * every other failure: the pool had no connection to give within its timeout, a connection broke, or the server
 * terminated it. Such a failure says nothing about the request, the job or the frame that met it: the same one
 * succeeds once the database is back, so clients are told to retry (503) rather than that the service failed (500).
 */
public final class DatabaseUnavailable {

    /** HikariCP's message, without an SQLSTATE, for any call on a connection the pool has closed. */
    private static final String CLOSED = "Connection is closed";

    private DatabaseUnavailable() {
    }

    /** Whether {@code failure}, or any of its causes, is the database being out of reach. */
    public static boolean isCause(Throwable failure) {
        return reason(failure) != null;
    }

    /**
     * The driver's own words for it (the deepest {@code SQLException}'s message, e.g. {@code Connection to
     * localhost:5432 refused. Check that …} or {@code FATAL: terminating connection due to administrator command}),
     * for one log line instead of a stack trace; null when the failure is not the database being out of reach.
     */
    public static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null) {
                // The rollback after a failure failed too, and its exception replaced the failure's: on a connection
                // the server dropped, the pool has already closed it, so the rollback's own words ("Connection is
                // closed", no SQLSTATE) say nothing. What happened is the failure that caused the rollback.
                return reason(rollback.getApplicationException());
            }
            if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() == null
                    && rollback.getCause() instanceof SQLException sql
                    && sql.getSQLState() == null && CLOSED.equals(sql.getMessage())) {
                // A commit the server refused as it went away ("FATAL: terminating connection …"), whose rollback
                // then found the connection already closed by the pool: Spring logs the commit's exception and
                // throws the rollback's alone, which says nothing else. Until 2026-11-28 a job meeting it was
                // failed for good ("processing failed: JDBC rollback failed") instead of handed back.
                return "the connection was lost while committing (" + rollback.getMessage() + ": " + CLOSED + ")";
            }
        }
        boolean unavailable = false;
        String innermost = null;
        String driver = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof RecoverableDataAccessException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLException sql && connectionLost(sql.getSQLState())) {
                unavailable = true;
            }
            if (cause.getMessage() != null) {
                innermost = cause.getMessage();
                if (cause instanceof SQLException) {
                    driver = cause.getMessage(); // the deepest SQLException names the server and what happened
                }
            }
        }
        if (!unavailable) {
            return null;
        }
        return driver != null ? driver : innermost != null ? innermost : "no connection";
    }

    /**
     * Logs the failure of background work that runs again by itself (a poll, a lease renewal, a purge): while the
     * database is out of reach, one warning line ending in the driver's reason, since every round fails the same way
     * and a stack trace each round buried what the operator needs in the log; any other failure at {@code level}
     * with its stack trace.
     *
     * @param message an SLF4J message with {@code {}} placeholders for {@code arguments}
     */
    public static void logRoundFailure(Logger log, Level level, Throwable failure, String message,
            Object... arguments) {
        String reason = reason(failure);
        LoggingEventBuilder event = reason == null ? log.atLevel(level).setCause(failure) : log.atWarn();
        for (Object argument : arguments) {
            event = event.addArgument(argument);
        }
        if (reason == null) {
            event.log(message);
        } else {
            event.addArgument(reason).log(message + " (the database cannot be reached: {})");
        }
    }

    /**
     * SQLSTATE class 08 (connection exception) and the server going away: 57P01 (terminated by the administrator, as
     * at a fast shutdown), 57P02 (crash of another backend), 57P03 (cannot connect now: starting up or shutting down).
     */
    private static boolean connectionLost(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }
}
