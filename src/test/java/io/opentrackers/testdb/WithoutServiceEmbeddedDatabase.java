package io.opentrackers.testdb;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Keeps the service's embedded-database configuration out of a test context's component scan, because the test
 * provides its database itself. That configuration defines its own {@code dataSource} bean, which would make
 * Spring Boot ignore the test database's connection details.
 *
 * <p>It is named here by its class name because it is package-private in {@code database/}; the constructor fails
 * when no such class exists, so a rename cannot silently bring back two databases per context.
 */
final class WithoutServiceEmbeddedDatabase extends TypeExcludeFilter {

    static final String SERVICE_EMBEDDED_DATABASE = "io.opentrackers.database.EmbeddedDatabaseConfiguration";

    WithoutServiceEmbeddedDatabase(ClassLoader classLoader) {
        Assert.state(ClassUtils.isPresent(SERVICE_EMBEDDED_DATABASE, classLoader),
                SERVICE_EMBEDDED_DATABASE + " is gone: update the test database hook that leaves it out");
    }

    @Override
    public boolean match(MetadataReader metadataReader, MetadataReaderFactory metadataReaderFactory) {
        return SERVICE_EMBEDDED_DATABASE.equals(metadataReader.getClassMetadata().getClassName());
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
