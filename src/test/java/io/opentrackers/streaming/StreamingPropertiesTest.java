package io.opentrackers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
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

    /** A call that may take no words would take no sentence besides its first: batching would be off unseen. */
    @ParameterizedTest
    @CsvSource({"trackers.streaming.batch-max-words, 0", "trackers.streaming.batch-max-words, -5"})
    void aWordBudgetOfLessThanOneStopsTheStartNamingIt(String property, String value) {
        context.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withPropertyValues(property + "=" + value).run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .hasMessageContaining("batchMaxWords").hasMessageContaining("greater than or equal to 1");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(StreamingProperties.class)
    static class Bound {
    }
}
