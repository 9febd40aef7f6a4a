package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Where the calibrated thresholds of managed trackers are read from (the detection feature computes and stores them
 * when it builds an account's index and implements this port; the tracker feature only shows them, so that it does
 * not depend on detection).
 */
public interface TrackerCalibrations {

    /** One tracker's stored calibration under the service's model. */
    record Calibration(String model, long trackerVersion, double threshold, int evidence, Instant calibratedAt) {
    }

    /** The stored calibrations of those of these trackers of the account that have one (by tracker id). */
    Map<String, Calibration> calibrationsOf(AccountId account, Collection<String> trackerIds);
}
