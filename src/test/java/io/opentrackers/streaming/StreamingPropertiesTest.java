package io.opentrackers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Streaming settings that cannot work stop the start naming the setting: a {@code max-frame-size} of 0 started a
 * service that ignored every frame as too large, a negative {@code shutdown-drain} one that started normally.
 */
class StreamingPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Bound.class);

    @ParameterizedTest
    @CsvSource({
            "trackers.streaming.shutdown-drain, -1s, 'must not be negative, was PT-1S'",
            "trackers.streaming.max-frame-size, 0, 'must be positive, was 0B'"})
    void aSettingThatCannotWorkStopsTheStartNamingIt(String property, String value, String reason) {
        context.withPropertyValues(property + "=" + value).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessage(property + " " + reason);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(StreamingProperties.class)
    static class Bound {
    }
}
