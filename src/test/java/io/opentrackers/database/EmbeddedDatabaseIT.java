package io.opentrackers.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.job.PackagedService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator does with the packaged jar and its embedded PostgreSQL: start a second service on a data
 * directory already in use (the same working directory, README's "another port"), kill -9 and start again, point the
 * service at a database it cannot reach. Each start is the shipped jar as a child process.
 */
class EmbeddedDatabaseIT {

    private static final Pattern DATABASE_PORT = Pattern.compile("Embedded PostgreSQL listening on localhost:(\\d+)");

    @TempDir
    Path dir;

    private final List<Process> services = new ArrayList<>();
    private Path dataDir;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process service : services) {
            service.destroy(); // SIGTERM: a service stops its own PostgreSQL
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor();
            }
        }
        if (dataDir != null) {
            stopOrphanOf(dataDir); // a service killed by the test leaves its server behind
        }
    }

    @Test
    void aSecondServiceOnADataDirectoryInUseRefusesToStartAndLeavesTheFirstsDatabaseAlone() throws Exception {
        dataDir = dir.resolve("postgres");
        Path firstLog = dir.resolve("first.log");
        int firstPort = PackagedService.freePort();
        Process first = start(firstLog, firstPort);
        PackagedService.awaitHealthy(first, firstPort, firstLog);
        int databasePort = databasePort(firstLog);
        assertQuietEmbeddedDatabase(firstLog);

        Path secondLog = dir.resolve("second.log");
        Process second = start(secondLog, PackagedService.freePort());
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the second start ends by itself; see %s", secondLog)
                .isTrue();
        String secondOutput = Files.readString(secondLog);
        assertThat(second.exitValue()).as(secondOutput).isNotZero();
        assertThat(secondOutput)
                .contains("APPLICATION FAILED TO START")
                .contains("data directory " + dataDir + " is in use by another running service")
                .contains("--spring.datasource.url=jdbc:postgresql://localhost:" + databasePort + "/postgres")
                .doesNotContain("A previous run left its embedded PostgreSQL");

        // the first service's database still takes new connections (it used to be put into shutdown by the second
        // start, which took it for a leftover: "FATAL: the database system is shutting down")
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + databasePort + "/postgres", "postgres", "");
                ResultSet one = connection.createStatement().executeQuery("select 1")) {
            assertThat(one.next()).isTrue();
        }

        // kill -9 releases the directory: the next start stops the orphaned server and comes up on the same data
        first.destroyForcibly().waitFor();
        Path thirdLog = dir.resolve("third.log");
        int thirdPort = PackagedService.freePort();
        PackagedService.awaitHealthy(start(thirdLog, thirdPort), thirdPort, thirdLog);
        assertThat(Files.readString(thirdLog)).contains("A previous run left its embedded PostgreSQL");
    }

    @Test
    void aDatabaseThatCannotBeReachedStopsTheStartWithASummaryThatHidesThePassword() throws Exception {
        int nothingListens = PackagedService.freePort();
        Path log = dir.resolve("unreachable.log");
        Process service = PackagedService.launch(log, "--server.port=" + PackagedService.freePort(),
                "--spring.datasource.url=jdbc:postgresql://localhost:" + nothingListens
                        + "/opentrackers?password=hunter2-secret",
                "--spring.datasource.username=someone");
        services.add(service);

        assertThat(service.waitFor(120, TimeUnit.SECONDS)).as("the start ends by itself; see %s", log).isTrue();
        String output = Files.readString(log);
        assertThat(service.exitValue()).as(output).isNotZero();
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("The service could not connect to its database.")
                .contains("URL:    jdbc:postgresql://localhost:" + nothingListens + "/opentrackers?password=********")
                .contains("User:   someone")
                .contains("Check spring.datasource.url")
                .doesNotContain("hunter2-secret");
    }

    private Process start(Path log, int port) throws IOException {
        Process service = PackagedService.launch(log, "--server.port=" + port,
                "--trackers.embedded-db.data-dir=" + dataDir,
                "--trackers.bootstrap.first-run=false",
                "--trackers.embedding.model=all-minilm-l6-v2-q");
        services.add(service);
        return service;
    }

    /**
     * A start (here the first one, with initdb) shows the service's own line about its database and nothing of the
     * embedded PostgreSQL's INFO chatter: its binaries, initdb's 25 lines, the server's {@code LOG:} lines, which
     * flooded every start's log (about 40 lines on the first).
     */
    private static void assertQuietEmbeddedDatabase(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("the service's own line about its database; see %s", log)
                .anyMatch(line -> line.contains("Embedded PostgreSQL listening on localhost:"));
        assertThat(lines).as("INFO lines of the embedded PostgreSQL (io.zonky); see %s", log)
                .noneMatch(line -> line.contains(" INFO ") && line.contains("z.t.d.p."))
                .noneMatch(line -> line.contains("database system is ready to accept connections"));
    }

    private static int databasePort(Path log) throws IOException {
        Matcher matcher = DATABASE_PORT.matcher(Files.readString(log));
        assertThat(matcher.find()).as("the port of the embedded PostgreSQL is logged; see %s", log).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static void stopOrphanOf(Path dataDir) throws Exception {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (Files.isRegularFile(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).ifPresent(server -> {
                server.destroy();
                server.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        }
    }
}
