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

    /**
     * A browser's Origin has no path and always a scheme: "https://app.example.com/" or "app.example.com" would match
     * no page, whose every call would then fail with a CORS error naming nothing on the service's side.
     */
    @Test
    void anAllowedOriginThatNoPageCanHaveStopsTheStartNamingIt() {
        for (String[] refused : new String[][] {
                {"https://app.example.com/", "https://app.example.com/ has a path (/)"},
                {"app.example.com", "app.example.com has no scheme and host"},
                {"https://app.example.com/ui?x=1", "https://app.example.com/ui?x=1 has a path (/ui)"},
                {"https://user@app.example.com", "https://user@app.example.com has user information"}}) {
            new ApplicationContextRunner().withUserConfiguration(Bound.class)
                    .withPropertyValues("trackers.web.allowed-origins=" + refused[0]).run(started -> {
                        assertThat(started).hasFailed();
                        assertThat(started.getStartupFailure()).rootCause().hasMessage("trackers.web.allowed-origins: "
                                + refused[1] + "; an origin is scheme://host[:port], e.g. https://app.example.com or "
                                + "https://*.example.com, or * for any");
                    });
        }
        new ApplicationContextRunner().withUserConfiguration(Bound.class).withPropertyValues(
                "trackers.web.allowed-origins=https://app.example.com:8443, https://*.example.com, "
                        + "http://localhost:[*], *").run(started -> {
                            assertThat(started).hasNotFailed();
                            assertThat(started.getBean(WebProperties.class).allowedOrigins()).hasSize(4);
                        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebProperties.class)
    static class Bound {
    }
}
