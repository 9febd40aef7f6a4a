package io.opentrackers.database;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The PostgreSQL the service starts for itself when no {@code spring.datasource.url} is configured.
 *
 * @param dataDir where the database files live; kept between runs so that trackers survive a restart.
 *                An empty value means a fresh temporary directory, deleted on shutdown (what tests use).
 * @param port    TCP port on localhost; 0 picks a free one at each start.
 */
@ConfigurationProperties("trackers.embedded-db")
public record EmbeddedDatabaseProperties(String dataDir, int port) {

    public EmbeddedDatabaseProperties {
        if (dataDir == null) {
            dataDir = "./data/postgres";
        }
        // -1 or 99999 stopped the start with a 141-line stack trace ending in the library's "port out of range:-1"
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("trackers.embedded-db.port must be 0..65535 (0: any free port), was "
                    + port);
        }
    }
}
