package io.opentrackers.database;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Marks an embedded database's data directory as used by this process, so that a second service started on the same
 * directory (the same working directory with the default {@code ./data/postgres}, or the same
 * {@code trackers.embedded-db.data-dir}) refuses to start instead of taking the first one's running PostgreSQL for a
 * leftover of a killed run and shutting it down. The postmaster.pid alone cannot tell the two apart: it names a live
 * server in both cases.
 *
 * <p>The lock is an OS file lock on {@code <data-dir>.lock} beside the directory (initdb wants the directory itself
 * empty). The OS releases it when the process ends in any way, kill -9 included, so a server found running on an
 * unlocked directory is an orphan that {@link LeftoverPostgres} may stop.
 */
final class DataDirectoryLock implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dataDir}, or fails naming the process that holds it. */
    static DataDirectoryLock acquire(Path dataDir) throws IOException {
        Path file = lockFileOf(dataDir);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new EmbeddedDatabaseInUseException(dataDir, holderOf(file));
        }
        DataDirectoryLock taken = new DataDirectoryLock(file, channel, lock);
        taken.describe("pid=" + ProcessHandle.current().pid());
        return taken;
    }

    /**
     * Writes what another start needs to know into the lock file: this process and, once the server listens, its
     * port (the second service is told to share that database rather than start its own).
     */
    void describe(String holder) throws IOException {
        byte[] text = (holder + "\n").getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text), 0);
        channel.force(false);
    }

    static Path lockFileOf(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".lock");
    }

    private static String holderOf(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Called after the server stopped (the server's bean depends on this one, so it is destroyed first). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "DataDirectoryLock[" + file + "]";
    }
}
