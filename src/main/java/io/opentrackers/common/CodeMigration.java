package io.opentrackers.common;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Flyway migration written in Java, for the steps SQL cannot express (Unicode forms, the service's own text
 * keys). Registered as a Spring bean, it runs in version order with the SQL migrations of {@code db/migration}, in
 * one transaction. Its checksum is a constant that changes only when the migration is edited, which databases that
 * applied it then report.
 */
public abstract class CodeMigration implements JavaMigration {

    private final MigrationVersion version;
    private final String description;
    private final int checksum;

    protected CodeMigration(String version, String description, int checksum) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
        this.checksum = checksum;
    }

    @Override
    public final MigrationVersion getVersion() {
        return version;
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return checksum;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }
}
