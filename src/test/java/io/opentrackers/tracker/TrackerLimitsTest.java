package io.opentrackers.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A limit that is not positive stops the start naming it and its value, not all five limits in one sentence. */
class TrackerLimitsTest {

    @ParameterizedTest
    @ValueSource(strings = {"max-phrase-length", "max-trackers-per-account", "max-name-length", "max-categories",
            "max-category-length"})
    void aLimitThatIsNotPositiveStopsTheStartNamingIt(String name) {
        new ApplicationContextRunner().withUserConfiguration(Bound.class)
                .withPropertyValues("trackers.limits." + name + "=0").run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .hasMessage("trackers.limits." + name + " must be positive, was 0");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TrackerLimits.class)
    static class Bound {
    }
}
