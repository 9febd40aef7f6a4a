package io.opentrackers.detection;

import io.opentrackers.account.AccountId;
import io.opentrackers.tracker.TrackerCalibrations;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Calibrated thresholds of managed trackers (table tracker_threshold, migration V14). Every query names the account:
 * that is what keeps one account's calibration from another's.
 */
@Repository
class TrackerThresholdRepository {

    /** One tracker's calibration, as written. */
    record Row(String trackerId, long trackerVersion, double threshold, int evidence) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    TrackerThresholdRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * Replaces the account's calibrations under the model with these rows (one per tracker of its current set), which
     * also drops those of deleted trackers; a tracker deleted meanwhile is skipped (a plain read: this write takes no
     * lock on tracker rows, see V14).
     */
    @Transactional
    void replace(AccountId account, String modelId, String fingerprint, Instant computedAt, List<Row> rows) {
        // A share lock on the account row (as tracker creation locks it): an account being deleted has it locked, so
        // this write waits and then finds it gone instead of leaving rows of an account that no longer exists (a
        // plain read of its trackers still sees them while the delete has not committed). A write that got the lock
        // first commits before the delete goes on, which then deletes its rows.
        if (jdbc.sql("select 1 from account where id = ? for share").param(account.value()).query(Integer.class)
                .optional().isEmpty()) {
            return;
        }
        jdbc.sql("delete from tracker_threshold where account_id = :account and model_id = :model")
                .param("account", account.value()).param("model", modelId).update();
        List<Object[]> values = rows.stream()
                .map(r -> new Object[] {r.trackerId(), modelId, account.value(), r.trackerVersion(), r.threshold(),
                        r.evidence(), fingerprint, Timestamp.from(computedAt), r.trackerId(), account.value()})
                .toList();
        batch.batchUpdate("""
                insert into tracker_threshold (tracker_id, model_id, account_id, tracker_version, threshold, evidence,
                                               fingerprint, computed_at)
                select ?, ?, ?, ?, ?, ?, ?, ? where exists (select 1 from tracker where id = ? and account_id = ?)
                on conflict (tracker_id, model_id) do update set tracker_version = excluded.tracker_version,
                    threshold = excluded.threshold, evidence = excluded.evidence,
                    fingerprint = excluded.fingerprint, computed_at = excluded.computed_at""", values);
    }

    /** Drops the account's calibrations under every model (the account is being deleted). */
    void deleteAllOf(AccountId account) {
        jdbc.sql("delete from tracker_threshold where account_id = ?").param(account.value()).update();
    }

    /** Drops the account's calibrations under the model (no tracker left, or a fixed threshold decides). */
    void deleteAll(AccountId account, String modelId) {
        jdbc.sql("delete from tracker_threshold where account_id = :account and model_id = :model")
                .param("account", account.value()).param("model", modelId).update();
    }

    /** The fingerprint the account's calibrations under the model were written with, if any. */
    String fingerprintOf(AccountId account, String modelId) {
        return jdbc.sql("""
                select fingerprint from tracker_threshold where account_id = :account and model_id = :model limit 1""")
                .param("account", account.value()).param("model", modelId)
                .query(String.class).optional().orElse(null);
    }

    Map<String, TrackerCalibrations.Calibration> load(AccountId account, String modelId,
            Collection<String> trackerIds) {
        Map<String, TrackerCalibrations.Calibration> found = new HashMap<>();
        if (trackerIds.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                select tracker_id, tracker_version, threshold, evidence, computed_at from tracker_threshold
                where account_id = :account and model_id = :model and tracker_id = any(:ids)""")
                .param("account", account.value()).param("model", modelId)
                .param("ids", trackerIds.toArray(String[]::new))
                .query((rs, row) -> found.put(rs.getString(1), new TrackerCalibrations.Calibration(modelId,
                        rs.getLong(2), rs.getDouble(3), rs.getInt(4), rs.getTimestamp(5).toInstant())))
                .list();
        return found;
    }
}
