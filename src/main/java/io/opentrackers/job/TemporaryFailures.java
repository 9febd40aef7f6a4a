package io.opentrackers.job;

import io.opentrackers.common.DatabaseUnavailable;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures of a job say nothing about the job itself: the database was briefly out of reach, a connection
 * broke, the pool had no connection to give within its timeout, or the statement lost a deadlock. Run again a little
 * later, the same job succeeds; failing it for good would lose work the client was told was accepted.
 */
final class TemporaryFailures {

    private TemporaryFailures() {
    }

    static boolean isTemporary(Throwable failure) {
        if (DatabaseUnavailable.isCause(failure)) {
            return true; // also a commit lost with its connection, whose failed rollback is all Spring throws
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
        }
        return false;
    }
}
