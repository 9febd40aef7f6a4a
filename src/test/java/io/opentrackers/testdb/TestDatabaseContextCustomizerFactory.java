package io.opentrackers.testdb;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.StringUtils;
import org.testcontainers.DockerClientFactory;

/**
 * Gives every Spring test context its own throw-away PostgreSQL, registered for all test classes through
 * {@code META-INF/spring.factories} so that none of them has to ask: a PostgreSQL 16 container
 * ({@link ContainerTestDatabase}) where a Docker engine answers, an embedded server ({@link EmbeddedTestDatabase})
 * where none does, and the operator's server when {@code spring.datasource.url} is given (README, "Tests").
 * One INFO line per context says which.
 *
 * <p>Both test databases reach the service as {@link org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails},
 * so Spring Boot builds the connection pool as it does for an external server; the service's own embedded database
 * (for {@code spring-boot:run} without a URL) is left out of these contexts by {@link WithoutServiceEmbeddedDatabase}.
 */
class TestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return new TestDatabaseContextCustomizer();
    }

    /** Stateless, and equal to every other one, so it does not split Spring's context cache. */
    static final class TestDatabaseContextCustomizer implements ContextCustomizer {

        private static final Logger log = LoggerFactory.getLogger(TestDatabaseContextCustomizer.class);

        /** Asking Docker costs a connection attempt (and an error log when there is none): once per JVM. */
        private static volatile Boolean dockerAvailable;

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            if (StringUtils.hasText(url)) {
                log.info("Test database: the configured server {} (spring.datasource.url)", url);
                return;
            }
            context.getBeanFactory().registerSingleton(WithoutServiceEmbeddedDatabase.class.getName(),
                    new WithoutServiceEmbeddedDatabase(context.getClassLoader()));
            Class<?> database = dockerAvailable() ? ContainerTestDatabase.class : EmbeddedTestDatabase.class;
            // registered as a configuration class: its @Bean methods are read when the context refreshes
            ((BeanDefinitionRegistry) context).registerBeanDefinition(database.getName(),
                    new RootBeanDefinition(database));
        }

        private static boolean dockerAvailable() {
            if (dockerAvailable == null) {
                dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
            }
            return dockerAvailable;
        }

        @Override
        public boolean equals(Object other) {
            return other != null && other.getClass() == getClass();
        }

        @Override
        public int hashCode() {
            return getClass().hashCode();
        }
    }
}
