package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.web.server.PortInUseException;

/**
 * A bad setting stops the start before the embedded PostgreSQL and the model start: an operator who mistypes a value
 * is told in a second or two, and no database is started (nor its data directory made) for a service that cannot
 * run. Until 2026-11-28 most settings were bound with their beans, after the database had started, and
 * {@code PORT=abc} was reported as {@code ${PORT:8080}}.
 */
class SettingsCheckedFirstIT {

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--trackers.embedding.threads=-1 | trackers.embedding.threads must be 0..64 (0: one per processor), was -1",
            "--PORT=abc                      | server.port (environment PORT) must be 0..65535 (0: any free port), was abc",
            "--PORT=70000                    | server.port (environment PORT) must be 0..65535 (0: any free port), was 70000",
            "--trackers.jobs.workers=-1      | must be greater than or equal to 1",
            "--trackers.matching.threshold=5 | trackers.matching.threshold must be a cosine in [-1, 1], was 5.0"})
    void aBadSettingStopsTheStartBeforeTheDatabaseStarts(String setting, String reason) {
        Path database = dataDir.resolve("postgres");
        assertThatThrownBy(() -> new SpringApplicationBuilder(OpenTrackersApplication.class).run(setting,
                "--trackers.embedded-db.data-dir=" + database))
                .isInstanceOf(BindException.class)
                .satisfies(failure -> assertThat(causes(failure)).contains(reason));
        assertThat(database).doesNotExist();
    }

    /**
     * A second service started by mistake, or another program on the port: told at once in Spring Boot's own words,
     * where Tomcat found it only after the database and the model had started (about 18 s).
     */
    @Test
    void aPortInUseStopsTheStartBeforeTheDatabaseStarts() throws IOException {
        Path database = dataDir.resolve("postgres");
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> new SpringApplicationBuilder(OpenTrackersApplication.class).run(
                    "--server.port=" + taken.getLocalPort(), "--trackers.embedded-db.data-dir=" + database))
                    .isInstanceOfSatisfying(PortInUseException.class,
                            inUse -> assertThat(inUse.getPort()).isEqualTo(taken.getLocalPort()));
        }
        assertThat(database).doesNotExist();
    }

    private static String causes(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
