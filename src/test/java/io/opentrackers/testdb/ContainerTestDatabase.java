package io.opentrackers.testdb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The test database where Docker is available: the PostgreSQL image of docker-compose.yml, one per context. */
@TestConfiguration(proxyBeanMethods = false)
class ContainerTestDatabase {

    static final String IMAGE = "postgres:16-alpine";

    private static final Logger log = LoggerFactory.getLogger(ContainerTestDatabase.class);

    /** Started by Spring Boot when the context needs it and stopped when the context closes. */
    @Bean
    @ServiceConnection
    PostgreSQLContainer testPostgresContainer() {
        log.info("Test database: PostgreSQL container {} (a Docker environment is available)", IMAGE);
        return new PostgreSQLContainer(IMAGE);
    }
}
