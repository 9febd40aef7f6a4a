package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * A duration of {@code trackers.jobs.*} that cannot work stops the start, naming the setting and the value (what
 * Spring Boot's start-up summary prints as the reason), instead of starting a service whose jobs are claimed twice
 * (a lease of 0 s) or stopping with a stack trace that names no setting (a poll interval of -1 s).
 */
class JobPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Bound.class);

    @ParameterizedTest
    @CsvSource({
            "trackers.jobs.lease, 0s, 'must be positive, was PT0S'",
            "trackers.jobs.lease, -5s, 'must be positive, was PT-5S'",
            "trackers.jobs.poll-interval, -1s, 'must be positive, was PT-1S'",
            "trackers.jobs.shutdown-wait, -1s, 'must not be negative, was PT-1S'",
            "trackers.jobs.webhook.timeout, -1s, 'must be positive, was PT-1S'",
            "trackers.jobs.webhook.initial-backoff, 0s, 'must be positive, was PT0S'",
            "trackers.jobs.webhook.max-backoff, -1s, 'must be positive, was PT-1S'",
            "trackers.jobs.webhook.poll-interval, 0s, 'must be positive, was PT0S'"})
    void aDurationThatCannotWorkStopsTheStartNamingIt(String property, String value, String reason) {
        context.withPropertyValues(property + "=" + value).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessage(property + " " + reason);
        });
    }

    /**
     * The webhook's counts carried {@code @Min(1)} that nothing checked (the nested record was not {@code @Valid}):
     * {@code senders=0} stopped the start at the dispatcher with a bare {@code IllegalArgumentException} stack trace,
     * and {@code max-attempts=0} started a service that abandoned every notification.
     */
    @ParameterizedTest
    @CsvSource({"trackers.jobs.webhook.senders, senders", "trackers.jobs.webhook.max-attempts, maxAttempts"})
    void aWebhookCountBelowOneStopsTheStartNamingIt(String property, String field) {
        context.withPropertyValues(property + "=0").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("webhook." + field)
                    .hasMessageContaining("rejected value [0]")
                    .hasMessageContaining("must be greater than or equal to 1");
        });
    }

    @Test
    void aWebhookNetworkThatIsNoCidrBlockStopsTheStartNamingIt() {
        context.withPropertyValues("trackers.jobs.webhook.allowed-networks=10.20.0.0/16,notacidr").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessage("trackers.jobs.webhook.allowed-networks: "
                    + "'notacidr' is not a network in CIDR notation (such as 10.0.0.0/8 or fd00::/8)");
        });
    }

    @ParameterizedTest
    @CsvSource({"trackers.jobs.shutdown-wait, 0s", "trackers.jobs.lease, 10s", "trackers.jobs.poll-interval, 100ms"})
    void usableDurationsAreAccepted(String property, String value) {
        context.withPropertyValues(property + "=" + value).run(started -> assertThat(started).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(JobProperties.class)
    static class Bound {
    }
}
