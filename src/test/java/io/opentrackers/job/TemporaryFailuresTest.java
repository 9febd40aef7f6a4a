package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures hand a job back to be run again rather than failing it for good. */
class TemporaryFailuresTest {

    /**
     * The server went away at a batch's commit and the rollback found the connection closed: Spring throws only
     * {@code JDBC rollback failed} / {@code Connection is closed}. The job was failed for good (DatabaseOutageIT).
     */
    @Test
    void aCommitLostWithItsConnectionIsTemporary() {
        assertThat(TemporaryFailures.isTemporary(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aRuleOfTheDatabaseIsNot() {
        assertThat(TemporaryFailures.isTemporary(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(TemporaryFailures.isTemporary(new IllegalStateException("a bug"))).isFalse();
    }
}
