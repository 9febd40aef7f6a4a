package io.opentrackers.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts an embedded PostgreSQL so that the service runs on a fresh machine with no database installed.
 * Only active when {@code spring.datasource.url} is not set; with it set, Spring Boot's own data source
 * auto-configuration connects to that server instead.
 *
 * <p>The server stops last: it is closed as a bean, and beans are destroyed only after every lifecycle phase has
 * stopped (see {@link io.opentrackers.common.ShutdownPhases}), and after the data source, which depends on it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceUrlConfigured.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /**
     * The data directory's lock, held until the server has stopped (the server's bean depends on it, so Spring
     * destroys the server first). None for a temporary directory, which no other process can share.
     */
    @Bean(destroyMethod = "close")
    EmbeddedDataDirectory embeddedDataDirectory(EmbeddedDatabaseProperties properties) throws IOException {
        if (properties.dataDir().isBlank()) {
            return new EmbeddedDataDirectory(null, null);
        }
        Path dataDir = Path.of(properties.dataDir()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
            // before anything touches a server found running there: only a directory nobody holds can have an orphan
            DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
            return new EmbeddedDataDirectory(dataDir, lock);
        } catch (EmbeddedDatabaseInUseException inUse) {
            throw inUse;
        } catch (IOException e) {
            // a directory that cannot be made stopped the start with a 158-line stack trace ending in
            // "NoSuchFileException: /proc/ops24"; DatabaseFailureAnalyzer says which setting to change
            throw new EmbeddedDataDirectoryException(dataDir, e);
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties, EmbeddedDataDirectory directory)
            throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                // By default the library stops the server from a JVM shutdown hook of its own. JVM hooks run
                // concurrently, so on SIGTERM that hook raced Spring's context close and could stop the server
                // while jobs were still being handed back. Spring's close (bean destruction) is the only stop.
                // A JVM that exits without closing the context leaves the server running; LeftoverPostgres stops
                // it at the next start, as after kill -9.
                .setRegisterShutdownHook(false)
                .setPort(properties.port())
                .setServerConfig("max_connections", "200");
        if (directory.path() == null) {
            builder.setCleanDataDirectory(true);
        } else {
            Path dataDir = directory.path();
            LeftoverPostgres.stopIfRunning(dataDir);
            // The embedded server defaults to fsync and synchronous commit off, which is right for throw-away
            // test databases but would let a crash lose work we already answered 201 for.
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on");
        }
        EmbeddedPostgres postgres = builder.start();
        directory.describe("pid=" + ProcessHandle.current().pid() + " port=" + postgres.getPort());
        log.info("Embedded PostgreSQL listening on localhost:{} (data: {})", postgres.getPort(),
                properties.dataDir().isBlank() ? "temporary" : properties.dataDir());
        return postgres;
    }

    /** The data directory of the embedded server and this process's lock of it (both null when temporary). */
    record EmbeddedDataDirectory(Path path, DataDirectoryLock lock) implements AutoCloseable {

        void describe(String holder) throws IOException {
            if (lock != null) {
                lock.describe(holder);
            }
        }

        @Override
        public void close() throws IOException {
            if (lock != null) {
                lock.close();
            }
        }
    }

    /** Pool settings still come from {@code spring.datasource.hikari.*}, as with an external server. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .driverClassName("org.postgresql.Driver")
                .url(postgres.getJdbcUrl("postgres", "postgres"))
                .username("postgres")
                .password("")
                .build();
        dataSource.setPoolName("embedded-postgres");
        return dataSource;
    }
}
