package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Connection ids that are live right now. A connection id names one live stream: while it is open nobody else
 * (in particular no other account) can attach to it, so a guessed or leaked id gives no access to a stream.
 */
@Component
class LiveConnections {

    private record Owner(AccountId account, String sessionId) {
    }

    private final ConcurrentMap<String, Owner> live = new ConcurrentHashMap<>();

    /** Claims {@code connectionId} for the session; false when another live session holds it. */
    boolean claim(String connectionId, AccountId account, String sessionId) {
        return live.putIfAbsent(connectionId, new Owner(account, sessionId)) == null;
    }

    void release(String connectionId, String sessionId) {
        live.computeIfPresent(connectionId, (id, owner) -> owner.sessionId().equals(sessionId) ? null : owner);
    }
}
