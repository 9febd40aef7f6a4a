package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
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

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AccountProperties.class)
    static class Bound {
    }
}
