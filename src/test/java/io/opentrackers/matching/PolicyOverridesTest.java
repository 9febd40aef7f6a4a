package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyOverridesTest {

    private static final MatchingPolicy CALIBRATED = new MatchingPolicy(Aggregation.CLASSIFIER, 0.77, 0.0, 0.12, 0.0, 0.1);

    @Test
    void nothingOverriddenKeepsTheCalibratedPolicy() {
        assertThat(PolicyOverrides.NONE.applyTo(CALIBRATED)).isEqualTo(CALIBRATED);
        assertThat(PolicyOverrides.parse(Map.<String, String>of()::get)).isEqualTo(PolicyOverrides.NONE);
    }

    @Test
    void eachOverrideReplacesOnlyItsOwnFieldAndTheSpreadStaysCalibrated() {
        assertThat(new PolicyOverrides(Aggregation.MAX, null, null, null, null).applyTo(CALIBRATED))
                .isEqualTo(new MatchingPolicy(Aggregation.MAX, 0.77, 0.0, 0.12, 0.0, 0.1));
        assertThat(new PolicyOverrides(null, 0.8, null, null, null).applyTo(CALIBRATED))
                .isEqualTo(new MatchingPolicy(Aggregation.CLASSIFIER, 0.8, 0.0, 0.12, 0.0, 0.1));
        assertThat(new PolicyOverrides(null, null, 0.05, null, null).applyTo(CALIBRATED))
                .isEqualTo(new MatchingPolicy(Aggregation.CLASSIFIER, 0.77, 0.05, 0.12, 0.0, 0.1));
        assertThat(new PolicyOverrides(null, null, null, 0.7, null).applyTo(CALIBRATED))
                .isEqualTo(new MatchingPolicy(Aggregation.CLASSIFIER, 0.77, 0.0, 0.12, 0.7, 0.1));
        assertThat(new PolicyOverrides(null, null, null, null, 0.3).applyTo(CALIBRATED))
                .isEqualTo(new MatchingPolicy(Aggregation.CLASSIFIER, 0.77, 0.0, 0.12, 0.0, 0.3));
    }

    @Test
    void aFixedThresholdSwitchesTheCalibrationOffUnlessAQuantileIsGivenToo() {
        MatchingPolicy selfCalibrated = CALIBRATED.withCalibrationQuantile(0.95);

        assertThat(PolicyOverrides.NONE.applyTo(selfCalibrated).calibrationQuantile()).isEqualTo(0.95);
        assertThat(new PolicyOverrides(null, 0.8, null, null, null).applyTo(selfCalibrated).calibrationQuantile())
                .isZero();
        assertThat(new PolicyOverrides(null, 0.8, null, null, null, 0.9).applyTo(selfCalibrated))
                .isEqualTo(new MatchingPolicy(Aggregation.CLASSIFIER, 0.8, 0.0, 0.12, 0.0, 0.1, 0.9));
        assertThat(PolicyOverrides.parse(Map.of("calibration-quantile", "0.9")::get).calibrationQuantile())
                .isEqualTo(0.9);
    }

    @Test
    void zeroIsAnOverrideNotAnAbsence() {
        assertThat(new PolicyOverrides(null, null, null, null, 0.0).applyTo(CALIBRATED).uncertaintyPenalty()).isZero();
    }

    @Test
    void flagsAreReadByTheirPropertyNames() {
        Map<String, String> flags = Map.of("aggregation", "max_centroid", "threshold", "0.55", "margin", "0.05",
                "min-probability", "0.7", "uncertainty-penalty", " 0.2 ");
        assertThat(PolicyOverrides.parse(flags::get))
                .isEqualTo(new PolicyOverrides(Aggregation.MAX_CENTROID, 0.55, 0.05, 0.7, 0.2));
    }

    @Test
    void badFlagsAndOutOfRangeValuesAreRejected() {
        assertThatThrownBy(() -> PolicyOverrides.parse(Map.of("threshold", "high")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
        // Java's "No enum constant io.opentrackers.matching.Aggregation.MEDIAN" named a class, not the choices
        assertThatThrownBy(() -> PolicyOverrides.parse(Map.of("aggregation", "median")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aggregation must be one of [MAX, TOP2_MEAN, TOP3_MEAN, CENTROID, MAX_CENTROID, CLASSIFIER],"
                        + " not 'median'");
        assertThatThrownBy(() -> new PolicyOverrides(null, 1.5, null, null, null).applyTo(CALIBRATED))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
