package io.opentrackers;

import io.opentrackers.job.PackagedService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;

/**
 * A PostgreSQL of a test's own, on a fixed data directory and port, that the test can stop under a running service
 * (a fast shutdown, as an operator's restart or a failover does) and start again with the same data.
 */
final class OwnPostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres running;

    OwnPostgres(String name) throws IOException {
        dataDir = Files.createTempDirectory(name);
        port = PackagedService.freePort();
    }

    /** The command line of a service that uses it: the settings that point at it, then {@code more}. */
    String[] serviceArguments(String... more) {
        return Stream.concat(Stream.of("--spring.datasource.url=jdbc:postgresql://localhost:" + port + "/postgres",
                "--spring.datasource.username=postgres"), Arrays.stream(more)).toArray(String[]::new);
    }

    void start() throws IOException {
        running = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setRegisterShutdownHook(false).start();
    }

    void stop() throws IOException {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        FileSystemUtils.deleteRecursively(dataDir);
    }
}
