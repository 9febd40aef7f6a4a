package io.opentrackers.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the service is killed (kill -9, a crash, a container stop without grace), its embedded PostgreSQL keeps
 * running and holds the data directory, so the next start would fail. This finds such a leftover server through
 * the directory's {@code postmaster.pid} and shuts it down cleanly before the new one starts. It is called only while
 * this process holds the directory's {@link DataDirectoryLock}: a server found running then belongs to no live
 * service (one in use by another service would have kept the lock from being taken).
 */
final class LeftoverPostgres {

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostgres.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    private LeftoverPostgres() {
    }

    static void stopIfRunning(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(handle -> isPostgresOf(handle, dataDir));
        if (process.isEmpty()) {
            return;
        }
        log.warn("A previous run left its embedded PostgreSQL (pid {}) running on {}; stopping it first", pid, dataDir);
        // SIGTERM is PostgreSQL's "smart" shutdown: the orphan has no clients left, so it exits at once,
        // writing a clean checkpoint.
        process.get().destroy();
        try {
            process.get().onExit().get(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping the leftover PostgreSQL", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("The leftover PostgreSQL (pid " + pid + ") did not stop; stop it by hand", e);
        }
    }

    private static boolean isPostgresOf(ProcessHandle handle, Path dataDir) {
        String commandLine = handle.info().commandLine().orElse("");
        return commandLine.contains("postgres") && commandLine.contains(dataDir.toString());
    }
}
