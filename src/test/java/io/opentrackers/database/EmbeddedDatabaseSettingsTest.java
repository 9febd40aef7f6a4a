package io.opentrackers.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@code trackers.embedded-db.*} that cannot work stops the start in Spring Boot's summary, naming the setting: a port
 * out of range and a data directory that cannot be made each stopped it with a stack trace of 141 and 158 lines,
 * whose last cause said {@code port out of range:-1} or only {@code NoSuchFileException: /proc/ops24}.
 */
class EmbeddedDatabaseSettingsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, 99999})
    void aPortOutOfRangeStopsTheStartNamingIt(int port) {
        new ApplicationContextRunner().withUserConfiguration(Bound.class)
                .withPropertyValues("trackers.embedded-db.port=" + port).run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause().hasMessage(
                            "trackers.embedded-db.port must be 0..65535 (0: any free port), was " + port);
                });
    }

    @Test
    void aDataDirectoryThatCannotBeMadeIsExplainedNamingTheSetting() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Path dataDir = file.resolve("postgres");
        new ApplicationContextRunner().withUserConfiguration(Bound.class, EmbeddedDatabaseConfiguration.class)
                .withPropertyValues("trackers.embedded-db.data-dir=" + dataDir).run(started -> {
                    assertThat(started).hasFailed();
                    FailureAnalysis analysis = new DatabaseFailureAnalyzer(new MockEnvironment())
                            .analyze(started.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).isEqualTo("The embedded PostgreSQL's data directory "
                            + dataDir + " cannot be used: " + dataDir + ": Not a directory.");
                    assertThat(analysis.getAction()).contains("trackers.embedded-db.data-dir")
                            .contains("TRACKERS_EMBEDDEDDB_DATADIR").contains("spring.datasource.url");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
    static class Bound {
    }
}
