package io.opentrackers.common;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure because the database could not be reached (stopped, restarting, a failover, the network) from
 * every other failure: the pool had no connection to give within its timeout, a connection broke, or the server
 * terminated it. Such a failure says nothing about the request, the job or the frame that met it: the same one
 * succeeds once the database is back, so clients are told to retry (503) rather than that the service failed (500).
 */
public final class DatabaseUnavailable {

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
     * SQLSTATE class 08 (connection exception) and the server going away: 57P01 (terminated by the administrator, as
     * at a fast shutdown), 57P02 (crash of another backend), 57P03 (cannot connect now: starting up or shutting down).
     */
    private static boolean connectionLost(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }
}
