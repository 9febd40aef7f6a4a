package io.opentrackers.streaming;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.account.RevokedTokens;
import io.opentrackers.common.ShutdownPhases;
import io.opentrackers.conversation.ConversationDeleted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.socket.CloseStatus;

/**
 * The open streaming connections: closes the idle ones and those whose token was revoked, and at shutdown lets every stream finish what it has
 * queued before closing its socket with 1001 (going away). The shutdown runs on {@link ContextClosedEvent}, which
 * Spring publishes before it stops any lifecycle bean, so detection workers and the database are still up.
 */
@Component
class StreamConnections implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamConnections.class);

    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();
    private final StreamingProperties properties;
    private final RevokedTokens revokedTokens;
    private final ThreadPoolTaskScheduler sweeper = new ThreadPoolTaskScheduler();
    private volatile boolean accepting = true;
    private volatile boolean running;

    StreamConnections(StreamingProperties properties, RevokedTokens revokedTokens, MeterRegistry meters) {
        this.properties = properties;
        this.revokedTokens = revokedTokens;
        Gauge.builder("trackers.streaming.connections", sessions, Map::size)
                .description("Streaming WebSocket connections open on this instance").register(meters);
        sweeper.setThreadNamePrefix("streaming-idle-sweeper-");
        sweeper.setDaemon(true);
    }

    void add(String socketId, StreamSession session) {
        sessions.put(socketId, session);
    }

    StreamSession get(String socketId) {
        return sessions.get(socketId);
    }

    StreamSession remove(String socketId) {
        return sessions.remove(socketId);
    }

    /** False once the service is shutting down: no stream is started or fed from then on. */
    boolean accepting() {
        return accepting;
    }

    @Override
    public void start() {
        accepting = true;
        sweeper.initialize();
        Duration period = Duration.ofMillis(Math.max(50, Math.min(1000, properties.idleTimeout().toMillis() / 4)));
        sweeper.scheduleWithFixedDelay(this::closeIdleSessions, period);
        sweeper.scheduleWithFixedDelay(this::closeRevokedSessions, properties.revocationCheckInterval());
        running = true;
    }

    @Override
    public void stop() {
        sweeper.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Only the idle sweeper stops here; the streams themselves were drained on {@link ContextClosedEvent}. */
    @Override
    public int getPhase() {
        return ShutdownPhases.STOP_TAKING_WORK;
    }

    /**
     * Stop taking work, wait (up to {@code shutdown-drain}) until every stream has delivered and stored the results
     * of the messages it accepted, then close the sockets with 1001 so that clients reconnect elsewhere.
     */
    @EventListener(ContextClosedEvent.class)
    void drainAndClose() {
        accepting = false;
        CompletableFuture<?>[] pending = sessions.values().stream().map(StreamSession::pending)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(properties.shutdownDrain().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Streams still had pending results after {}; closing their connections anyway",
                    properties.shutdownDrain());
        } catch (ExecutionException e) {
            log.debug("A stream's pending work failed during shutdown", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessions.values().forEach(session -> {
            session.failed("The service is shutting down; reconnect to continue");
            session.close(CloseStatus.GOING_AWAY.withReason("service shutting down"));
        });
    }

    /**
     * Tells the streams of this instance that write to a conversation just deleted; streams on other instances
     * learn it when they next store something in it. After the commit only: a delete that rolled back changed nothing.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void conversationDeleted(ConversationDeleted event) {
        sessions.values().forEach(session -> session.conversationDeleted(event.conversationId()));
    }

    /**
     * A token is checked at the handshake only, so a connection would outlive the revocation of the token that opened
     * it, for as long as the client keeps it busy. Revocations are made on any instance and kept in the database, so
     * each instance looks up its connections' token ids there (one indexed query, nothing when no connection is
     * open) and closes those revoked with 1008, after an {@code error} notice saying why.
     */
    private void closeRevokedSessions() {
        Map<String, List<StreamSession>> byToken = new HashMap<>();
        sessions.values().forEach(session -> {
            if (session.tokenId() != null) {
                byToken.computeIfAbsent(session.tokenId(), id -> new ArrayList<>()).add(session);
            }
        });
        if (byToken.isEmpty()) {
            return;
        }
        Set<String> revoked;
        try {
            revoked = revokedTokens.revokedAmong(byToken.keySet());
        } catch (RuntimeException e) {
            log.warn("Looking up revoked tokens of open streaming connections failed; retrying in {}",
                    properties.revocationCheckInterval(), e);
            return;
        }
        for (String tokenId : revoked) {
            for (StreamSession session : byToken.get(tokenId)) {
                session.failed("Closing the connection: its access token was revoked; reconnect with a valid token");
                session.close(CloseStatus.POLICY_VIOLATION.withReason("access token revoked"));
            }
        }
    }

    private void closeIdleSessions() {
        long limit = properties.idleTimeout().toNanos();
        for (StreamSession session : sessions.values()) {
            if (session.idleNanos() > limit && !session.busy()) {
                session.failed("Closing the connection: no frame received for "
                        + properties.idleTimeout().toSeconds() + "s (trackers.streaming.idle-timeout)");
                session.close(CloseStatus.NORMAL.withReason("idle timeout"));
            }
        }
    }
}
