package io.opentrackers.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

@ExtendWith(OutputCaptureExtension.class)
class DatabaseUnavailableTest {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableTest.class);

    private static final SQLException TERMINATED = new SQLException(
            "FATAL: terminating connection due to administrator command", "57P01");

    @Test
    void aStatementOnAConnectionTheServerDroppedIsTheDatabaseOutOfReachInTheDriversWords() {
        var failure = new DataAccessResourceFailureException("PreparedStatementCallback", TERMINATED);

        assertThat(DatabaseUnavailable.isCause(failure)).isTrue();
        assertThat(DatabaseUnavailable.reason(failure))
                .isEqualTo("FATAL: terminating connection due to administrator command");
    }

    @Test
    void noConnectionFromThePoolIsTheDatabaseOutOfReach() {
        var failure = new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLException("Connection to localhost:5432 refused.", "08001"));

        assertThat(DatabaseUnavailable.reason(failure)).isEqualTo("Connection to localhost:5432 refused.");
    }

    /**
     * What a stream's message met when the server went away mid-transaction: the statement failed, and the rollback
     * then failed on the connection the pool had already closed, its exception (no SQLSTATE) replacing the first.
     */
    @Test
    void aFailedRollbackAfterTheConnectionWasLostIsTheDatabaseOutOfReach() {
        var rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataAccessResourceFailureException("PreparedStatementCallback",
                TERMINATED));

        assertThat(DatabaseUnavailable.isCause(rollback)).isTrue();
        assertThat(DatabaseUnavailable.reason(rollback))
                .isEqualTo("FATAL: terminating connection due to administrator command");
    }

    /**
     * What a job's batch met when the server went away at its commit (DatabaseOutageIT): the commit failed with
     * {@code FATAL: terminating connection}, the rollback found the connection closed, and Spring threw the rollback's
     * exception alone, with no application exception. The job was failed for good ("processing failed: JDBC rollback
     * failed") instead of handed back.
     */
    @Test
    void aFailedRollbackAfterACommitLostWithItsConnectionIsTheDatabaseOutOfReach() {
        var rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));

        assertThat(DatabaseUnavailable.isCause(rollback)).isTrue();
        assertThat(DatabaseUnavailable.reason(rollback))
                .isEqualTo("the connection was lost while committing (JDBC rollback failed: Connection is closed)");
        assertThat(DatabaseUnavailable.isCause(new TransactionSystemException("JDBC rollback failed",
                new SQLException("something else")))).isFalse();
    }

    @Test
    void aFailedRollbackAfterAnyOtherFailureIsNot() {
        var rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")));

        assertThat(DatabaseUnavailable.isCause(rollback)).isFalse();
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aBackgroundRoundThatMetAnOutageLogsOneWarningLineWithTheDriversReason(CapturedOutput output) {
        var failure = new DataAccessResourceFailureException("PreparedStatementCallback", TERMINATED);

        DatabaseUnavailable.logRoundFailure(log, Level.ERROR, failure, "Polling for {} failed; will retry", "jobs");

        assertThat(output.getAll()).contains(" WARN ").contains("Polling for jobs failed; will retry (the database "
                + "cannot be reached: FATAL: terminating connection due to administrator command)")
                .doesNotContain(" ERROR ").doesNotContain("PreparedStatementCallback").doesNotContain("\tat ");
    }

    @Test
    void anyOtherFailureOfABackgroundRoundIsLoggedAtItsLevelWithItsStackTrace(CapturedOutput output) {
        DatabaseUnavailable.logRoundFailure(log, Level.ERROR, new IllegalStateException("a bug"),
                "Polling for {} failed; will retry", "jobs");

        assertThat(output.getAll()).contains(" ERROR ").contains("Polling for jobs failed; will retry")
                .contains("java.lang.IllegalStateException: a bug").contains("\tat ")
                .doesNotContain("cannot be reached");
    }
}
