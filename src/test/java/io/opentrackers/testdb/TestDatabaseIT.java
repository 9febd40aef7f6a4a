package io.opentrackers.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.StringUtils;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The context of an ordinary integration test runs on exactly one PostgreSQL, the one the test hook chose. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TestDatabaseIT {

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcConnectionDetails connection;

    @Test
    void aContainerWhereDockerRunsAnEmbeddedServerElsewhereAndNeverBoth() {
        assumeFalse(StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url")),
                "runs against the configured server");
        boolean docker = DockerClientFactory.instance().isDockerAvailable();

        assertThat(context.getBeanNamesForType(PostgreSQLContainer.class)).hasSize(docker ? 1 : 0);
        // the service's own embedded database would be a second EmbeddedPostgres bean
        assertThat(context.getBeanNamesForType(EmbeddedPostgres.class)).hasSize(docker ? 0 : 1);
        assertThat(dataSource).isInstanceOfSatisfying(HikariDataSource.class,
                pool -> assertThat(pool.getJdbcUrl()).isEqualTo(connection.getJdbcUrl()));
        String version = JdbcClient.create(dataSource).sql("select version()").query(String.class).single();
        assertThat(version).startsWith(docker ? "PostgreSQL 16." : "PostgreSQL ");
    }
}
