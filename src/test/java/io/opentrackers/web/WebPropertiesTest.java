package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A body limit that is not positive stops the start: the service started and answered every body with 413. */
class WebPropertiesTest {

    @Test
    void aRequestBodyLimitThatIsNotPositiveStopsTheStartNamingIt() {
        new ApplicationContextRunner().withUserConfiguration(Bound.class)
                .withPropertyValues("trackers.web.max-request-body=-1MB").run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .hasMessage("trackers.web.max-request-body must be positive, was -1048576B");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebProperties.class)
    static class Bound {
    }
}
