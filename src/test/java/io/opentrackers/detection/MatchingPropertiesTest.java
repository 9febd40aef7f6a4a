package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Matching limits that cannot work stop the start naming the setting: {@code max-messages=-1} or
 * {@code max-characters=0} started a service whose {@code /v1/match} refused every call, and a negative cache size
 * stopped the start with a stack trace that named no setting.
 */
class MatchingPropertiesTest {

    @ParameterizedTest
    @CsvSource({"max-messages, -1", "max-characters, 0", "index-cache-phrases, -1", "inline-cache-phrases, -5"})
    void aLimitThatIsNotPositiveStopsTheStartNamingIt(String name, int value) {
        new ApplicationContextRunner().withUserConfiguration(Bound.class)
                .withPropertyValues("trackers.matching." + name + "=" + value).run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .hasMessage("trackers.matching." + name + " must be positive, was " + value);
                });
    }

    @ParameterizedTest
    @CsvSource({"max-messages, 1", "max-characters, 1", "index-cache-phrases, 1", "inline-cache-phrases, 1"})
    void theSmallestWorkingLimitStarts(String name, int value) {
        new ApplicationContextRunner().withUserConfiguration(Bound.class)
                .withPropertyValues("trackers.matching." + name + "=" + value)
                .run(started -> assertThat(started).hasNotFailed());
    }

    /**
     * A policy value out of range ({@code threshold=5}) stopped the start with a 134-line stack trace, once the first
     * index was built, whose message listed every rule of a policy and named no setting.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "threshold            | 5    | must be a cosine in [-1, 1], was 5.0",
            "margin               | -0.1 | must not be negative, was -0.1",
            "min-probability      | 1.5  | must be in [0, 1], was 1.5",
            "uncertainty-penalty  | -1   | must not be negative, was -1.0",
            "calibration-quantile | 2    | must be 0 (off) or in [0.8, 1], was 2.0"})
    void aPolicyValueOutOfRangeStopsTheStartNamingIt(String name, String value, String reason) {
        new ApplicationContextRunner().withUserConfiguration(Bound.class)
                .withPropertyValues("trackers.matching." + name + "=" + value).run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .hasMessage("trackers.matching." + name + " " + reason);
                });
    }

    @ParameterizedTest
    @CsvSource({"threshold, -1", "threshold, 1", "calibration-quantile, 0", "calibration-quantile, 0.8",
            "min-probability, 1", "margin, 0"})
    void policyValuesAtTheirBoundsStart(String name, String value) {
        new ApplicationContextRunner().withUserConfiguration(Bound.class)
                .withPropertyValues("trackers.matching." + name + "=" + value)
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MatchingProperties.class)
    static class Bound {
    }
}
