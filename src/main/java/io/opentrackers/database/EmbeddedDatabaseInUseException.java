package io.opentrackers.database;

import java.io.IOException;
import java.nio.file.Path;

/** Another running service holds the embedded database's data directory (see {@link DataDirectoryLock}). */
class EmbeddedDatabaseInUseException extends IOException {

    private final transient Path dataDir;
    /** What the holder wrote into the lock file ({@code pid=… port=…}); empty when it could not be read. */
    private final String holder;

    EmbeddedDatabaseInUseException(Path dataDir, String holder) {
        super("The embedded PostgreSQL's data directory " + dataDir + " is in use by another running service"
                + (holder.isEmpty() ? "" : " (" + holder + ")"));
        this.dataDir = dataDir;
        this.holder = holder;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The holder's database port, if it wrote one. */
    String port() {
        for (String field : holder.split("\\s+")) {
            if (field.startsWith("port=")) {
                return field.substring("port=".length());
            }
        }
        return null;
    }
}
