package io.opentrackers.job;

import io.opentrackers.TestApi;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The packaged service ({@link PackagedService#start}) on a PostgreSQL of its own, for the tests that stop the process
 * in the middle of a job and start it again on the same database. Registered with {@code @RegisterExtension}, it
 * stops both after each test, whatever the test left running.
 */
final class PackagedServiceOnPostgres implements AfterEachCallback {

    private EmbeddedPostgres postgres;
    private Process service;
    private int port;
    private Duration lease;

    /** Starts a new PostgreSQL and the service on it, logging to {@code log}; returns a client of a new account. */
    TestApi start(Path log, Duration lease) throws IOException, InterruptedException {
        postgres = EmbeddedPostgres.builder().start();
        port = PackagedService.freePort();
        this.lease = lease;
        service = PackagedService.start(jdbcUrl(), port, log, lease);
        return TestApi.newAccount("http://localhost:" + port);
    }

    /** Starts the service again, on the same database, port and lease, once the test has stopped the last one. */
    void restart(Path log) throws IOException, InterruptedException {
        service = PackagedService.start(jdbcUrl(), port, log, lease);
    }

    /** The running service's process, for the test to stop. */
    Process process() {
        return service;
    }

    /** The service's database, read directly. */
    JdbcClient database() {
        return JdbcClient.create(postgres.getPostgresDatabase());
    }

    private String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (service != null) {
            service.destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
