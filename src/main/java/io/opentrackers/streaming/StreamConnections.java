package io.opentrackers.streaming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.account.AccessToken;
import io.opentrackers.account.AccountDeleted;
import io.opentrackers.account.AccountId;
import io.opentrackers.account.AccountService;
import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.ShutdownPhases;
import io.opentrackers.conversation.ConversationDeleted;
import io.opentrackers.conversation.ConversationService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.slf4j.event.Level;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.socket.CloseStatus;

/**
 * The open streaming connections: closes the idle ones, those whose client stopped reading and those whose token was
 * revoked or issued for a secret their account no longer has, or whose account was deleted, and at shutdown lets
 * every stream finish what it has queued before closing its socket with 1001 (going away). The shutdown runs on {@link ContextClosedEvent}, which
 * Spring publishes before it stops any lifecycle bean, so detection workers and the database are still up.
 */
@Component
class StreamConnections implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamConnections.class);

    /**
     * How often the conversations of open streams are marked as live for the retention: a fifth of the mark's
     * lifetime, so that a database hiccup or two does not let a mark run out under a stream.
     */
    static final Duration LIVE_STREAM_RENEWAL = ConversationService.LIVE_STREAM_MARK.dividedBy(5);

    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();
    /** Open connections per account, the sessions' accounts counted; an account with none has no entry. */
    private final Map<AccountId, Integer> openPerAccount = new ConcurrentHashMap<>();
    private final StreamingProperties properties;
    private final AccountService accounts;
    private final ConversationService conversations;
    private final ThreadPoolTaskScheduler sweeper = new ThreadPoolTaskScheduler();
    private final Counter stoppedReading;
    private volatile boolean accepting = true;
    private volatile boolean running;

    StreamConnections(StreamingProperties properties, AccountService accounts, ConversationService conversations,
            MeterRegistry meters) {
        this.properties = properties;
        this.accounts = accounts;
        this.conversations = conversations;
        Gauge.builder("trackers.streaming.connections", sessions, Map::size)
                .description("Streaming WebSocket connections open on this instance").register(meters);
        stoppedReading = Counter.builder("trackers.streaming.closed.not.reading")
                .description("Streaming connections closed because their client stopped reading its results")
                .register(meters);
        sweeper.setThreadNamePrefix("streaming-idle-sweeper-");
        sweeper.setDaemon(true);
    }

    /**
     * Registers the session unless its account already has {@code max-connections-per-account} open here; false
     * then, and nothing is registered. Counted atomically, so handshakes racing past {@link #hasRoomFor} cannot
     * together pass the limit. A session that replaces one still registered ({@code replacing}, the socket id of a
     * connection of the same account and connection id, about to be closed) is always admitted: it takes that one's
     * place, so an account at its limit can still reconnect after a network drop.
     */
    boolean add(String socketId, StreamSession session, String replacing) {
        StreamSession replaced = replacing == null ? null : sessions.get(replacing);
        boolean takesAPlace = replaced != null && replaced.account().equals(session.account());
        boolean[] admitted = {false};
        openPerAccount.compute(session.account(), (account, open) -> {
            int count = open == null ? 0 : open;
            if (count >= properties.maxConnectionsPerAccount() && !takesAPlace) {
                return open;
            }
            admitted[0] = true;
            return count + 1;
        });
        if (admitted[0]) {
            sessions.put(socketId, session);
        }
        return admitted[0];
    }

    /**
     * Whether the account may open one more connection here now: the handshake's early answer ({@link #add} decides).
     */
    boolean hasRoomFor(AccountId account) {
        return openPerAccount.getOrDefault(account, 0) < properties.maxConnectionsPerAccount();
    }

    StreamSession get(String socketId) {
        return sessions.get(socketId);
    }

    StreamSession remove(String socketId) {
        StreamSession removed = sessions.remove(socketId);
        if (removed != null) {
            openPerAccount.computeIfPresent(removed.account(), (account, open) -> open <= 1 ? null : open - 1);
        }
        return removed;
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
        sweeper.scheduleWithFixedDelay(this::closeClientsNotReading,
                Duration.ofMillis(Math.max(50, Math.min(1000, properties.sendTimeout().toMillis() / 4))));
        sweeper.scheduleWithFixedDelay(this::closeEndedSessions, properties.revocationCheckInterval());
        sweeper.scheduleWithFixedDelay(this::markLiveStreams, LIVE_STREAM_RENEWAL);
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
     * Closes (1008, after an {@code error} notice) this instance's streams of an account just deleted; streams on other
     * instances are closed at their next check of ended tokens ({@link #closeEndedSessions}).
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void accountDeleted(AccountDeleted event) {
        sessions.values().stream().filter(session -> session.account().equals(event.account()))
                .forEach(StreamConnections::closeOfDeletedAccount);
    }

    private static void closeOfDeletedAccount(StreamSession session) {
        session.failed("Closing the connection: its account was deleted");
        session.close(CloseStatus.POLICY_VIOLATION.withReason("account deleted"));
    }

    /**
     * A token is checked at the handshake only, so a connection would outlive the revocation of the token that opened
     * it, or a change of its account's secret, for as long as the client keeps it busy. Both are made on any instance
     * and kept in the database, so each instance looks up its connections' tokens there (one query for all of them,
     * nothing when no connection is open) and closes those ended with 1008, after an {@code error} notice saying why.
     */
    private void closeEndedSessions() {
        Map<AccessToken, List<StreamSession>> byToken = new HashMap<>();
        sessions.values().forEach(session -> byToken.computeIfAbsent(session.token(), token -> new ArrayList<>())
                .add(session));
        if (byToken.isEmpty()) {
            return;
        }
        Map<AccessToken, AccessToken.Ended> ended;
        try {
            ended = accounts.endedAmong(byToken.keySet());
        } catch (RuntimeException e) {
            log.warn("Looking up whether the tokens of open streaming connections were ended failed; retrying in {}",
                    properties.revocationCheckInterval(), e);
            return;
        }
        ended.forEach((token, why) -> {
            for (StreamSession session : byToken.get(token)) {
                switch (why) {
                    case REVOKED -> {
                        session.failed("Closing the connection: its access token was revoked; reconnect with a "
                                + "valid token");
                        session.close(CloseStatus.POLICY_VIOLATION.withReason("access token revoked"));
                    }
                    case ACCOUNT_DELETED -> closeOfDeletedAccount(session);
                    case SECRET_CHANGED -> {
                        session.failed("Closing the connection: the account's secret changed after its access "
                                + "token was issued; reconnect with a token generated with the new secret");
                        session.close(CloseStatus.POLICY_VIOLATION.withReason("account secret changed"));
                    }
                }
            }
        });
    }

    /**
     * Closes (1008) the connections whose client stopped reading ({@link OutgoingFrames}): here, on the sweeper,
     * because closing one waits a moment for the frame stuck in its socket, and no thread that delivers results may
     * wait.
     */
    private void closeClientsNotReading() {
        for (StreamSession session : sessions.values()) {
            String reason = session.stoppedReading();
            if (reason != null) {
                stoppedReading.increment();
                log.info("Closing streaming connection {} of account {}: {}", session.connectionId(), session.account(),
                        reason);
                session.cutOff(reason);
            }
        }
    }

    /**
     * Renews the mark that keeps the conversations of this instance's open streams from the retention
     * (trackers.conversations.retention): one statement for all of them, nothing when no stream is open or no
     * retention is set ({@link ConversationService#markLiveStreams}).
     */
    void markLiveStreams() {
        Set<String> live = new HashSet<>();
        sessions.values().forEach(session -> live.addAll(session.conversationsWrittenTo()));
        if (live.isEmpty()) {
            return;
        }
        try {
            conversations.markLiveStreams(live);
        } catch (RuntimeException e) {
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e, "Marking the conversations of {} open stream(s) "
                    + "as live failed; retrying in {}", live.size(), LIVE_STREAM_RENEWAL);
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
