package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * A retention that cannot work stops the start naming the setting and the value: a negative one would make every
 * conversation's last activity older than it, and delete them all at the first round.
 */
class ConversationPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Bound.class);

    @ParameterizedTest
    @CsvSource({
            "trackers.conversations.retention, -1d, 'must not be negative, was PT-24H'",
            "trackers.conversations.retention-interval, 0s, 'must be positive, was PT0S'",
            "trackers.conversations.retention-interval, -1h, 'must be positive, was PT-1H'"})
    void aDurationThatCannotWorkStopsTheStartNamingIt(String property, String value, String reason) {
        context.withPropertyValues(property + "=" + value).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessage(property + " " + reason);
        });
    }

    @ParameterizedTest
    @CsvSource({"30d, PT720H", "0, PT0S", "12h, PT12H"})
    void aRetentionIsReadAsOperatorsWriteIt(String value, Duration expected) {
        context.withPropertyValues("trackers.conversations.retention=" + value).run(started ->
                assertThat(started.getBean(ConversationProperties.class).retention()).isEqualTo(expected));
    }

    @Test
    void unsetConversationsAreKeptForEverAndLookedForHourly() {
        context.run(started -> {
            ConversationProperties properties = started.getBean(ConversationProperties.class);
            assertThat(properties.retention()).isZero();
            assertThat(properties.retentionInterval()).isEqualTo(Duration.ofHours(1));
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ConversationProperties.class)
    static class Bound {
    }
}
