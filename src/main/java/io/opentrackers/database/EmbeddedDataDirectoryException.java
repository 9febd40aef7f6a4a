package io.opentrackers.database;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The embedded database's data directory (or its lock file beside it) cannot be made or opened: a parent that does not
 * exist or is not a directory, no permission, a read-only file system.
 */
class EmbeddedDataDirectoryException extends IOException {

    EmbeddedDataDirectoryException(Path dataDir, IOException cause) {
        super("The embedded PostgreSQL's data directory " + dataDir + " cannot be used: " + reason(cause), cause);
    }

    /**
     * What went wrong in words: the file system's exceptions often carry only the path as their message
     * ({@code NoSuchFileException: /proc/ops24}).
     */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            String what;
            if (fs instanceof NoSuchFileException) {
                what = "does not exist";
            } else if (fs instanceof AccessDeniedException) {
                what = "cannot be written by this user (permission denied)";
            } else if (fs instanceof FileAlreadyExistsException || fs instanceof NotDirectoryException) {
                what = "is not a directory";
            } else {
                what = fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
            }
            return fs.getFile() + (what.startsWith("is ") || what.startsWith("does ") || what.startsWith("cannot ")
                    ? " " : ": ") + what;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
