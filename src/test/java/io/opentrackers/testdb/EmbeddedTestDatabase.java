package io.opentrackers.testdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The test database where no Docker engine answers: an embedded PostgreSQL in a temporary directory, one per context. */
@TestConfiguration(proxyBeanMethods = false)
class EmbeddedTestDatabase {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedTestDatabase.class);

    /**
     * Stopped by Spring after everything that uses it, and only by Spring. The library's own JVM shutdown hook
     * would stop the server at the same time as Spring's hook closes the cached test contexts: a worker that
     * releases its job leases while stopping then waited the pool's 30 s connection timeout for a server that was
     * gone, and Surefire killed the fork 30 s after System.exit.
     */
    @Bean(destroyMethod = "close")
    EmbeddedPostgres testEmbeddedPostgres() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setCleanDataDirectory(true)
                .setRegisterShutdownHook(false)
                .start();
        log.info("Test database: embedded PostgreSQL on localhost:{} (no Docker environment)", postgres.getPort());
        return postgres;
    }

    @Bean
    JdbcConnectionDetails testDatabaseConnection(EmbeddedPostgres postgres) {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return "postgres";
            }

            @Override
            public String getPassword() {
                return "";
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }
}
