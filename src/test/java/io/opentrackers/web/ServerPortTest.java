package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * {@code server.port} ({@code PORT}) out of range stops the start naming it: {@code PORT=-5} started a service that
 * listened nowhere ({@code Tomcat started on port -1}), {@code PORT=70000} stopped it with an 85-line stack trace,
 * {@code PORT=abc} with the conversion's {@code For input string: "abc"}.
 */
class ServerPortTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-5", "65536", "70000", "abc", "80.5", "99999999999"})
    void aPortOutOfRangeOrNoNumberStopsTheStartNamingIt(String port) {
        context.withPropertyValues("server.port=" + port).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessage(
                    "server.port (environment PORT) must be 0..65535 (0: any free port), was " + port);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8080, 65535})
    void aPortInRangeStarts(int port) {
        context.withPropertyValues("server.port=" + port).run(started -> assertThat(started).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ServerPort.class)
    static class Bound {
    }
}
