package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * A token lifetime that is not positive stops the start naming {@code trackers.auth.token-ttl}: the service used to
 * start and issue tokens already expired, so every call after a successful token:generate was refused with 401.
 */
class AccountPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Bound.class);

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-1s"})
    void aTokenLifetimeThatIsNotPositiveStopsTheStartNamingIt(String ttl) {
        context.withPropertyValues("trackers.auth.token-ttl=" + ttl).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .hasMessageStartingWith("trackers.auth.token-ttl must be positive, was PT");
        });
    }

    /**
     * A short signing key was refused only when the key was made, after the database had started, in a 113-line
     * stack trace; it now stops the binding, naming the setting.
     */
    @Test
    void aShortSigningKeyStopsTheStartNamingIt() {
        context.withPropertyValues("trackers.auth.jwt-secret=short").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .hasMessageStartingWith("trackers.auth.jwt-secret must be at least 32 bytes long, was 5");
        });
        context.withPropertyValues("trackers.auth.jwt-secret=" + "k".repeat(32))
                .run(started -> assertThat(started).hasNotFailed());
    }

    /** Half of the default account's credentials was ignored with "No default account configured". */
    @Test
    void halfOfTheDefaultAccountStopsTheStartNamingTheOtherHalf() {
        context.withPropertyValues("trackers.bootstrap.app-id=demo").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessage("trackers.bootstrap.app-id (environment "
                    + "TRACKERS_APP_ID) is set but trackers.bootstrap.app-secret (TRACKERS_APP_SECRET) is not: set "
                    + "both for the default account, or neither");
        });
        context.withPropertyValues("trackers.bootstrap.app-secret=demo-secret-123").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .hasMessageStartingWith("trackers.bootstrap.app-secret (environment TRACKERS_APP_SECRET) is set");
        });
        context.withPropertyValues("trackers.bootstrap.app-id=", "trackers.bootstrap.app-secret=")
                .run(started -> assertThat(started).hasNotFailed());
    }

    /** One sentence named all six login settings for any of them; now the one that is wrong, with its value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "failures-per-app-id    | 0    | must be positive, was 0",
            "failures-per-address   | -3   | must be positive, was -3",
            "max-concurrent-checks  | -1   | must not be negative (0: half the processors), was -1",
            "app-id-refill          | 0s   | must be positive, was PT0S",
            "address-refill         | -1s  | must be positive, was PT-1S",
            "check-wait             | -1s  | must not be negative, was PT-1S"})
    void aLoginSettingThatCannotWorkStopsTheStartNamingIt(String name, String value, String reason) {
        context.withPropertyValues("trackers.auth.login." + name + "=" + value).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .hasMessage("trackers.auth.login." + name + " " + reason);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AccountProperties.class)
    static class Bound {
    }
}
