package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Connection ids that are live right now, per account. Within an account a connection id names one live stream, so
 * a client that reconnects with the id of a connection still open is told so. Between accounts the ids are
 * independent: every connection gets its own stream and conversation, so there is nothing another account's
 * connection could attach to, and a global claim only let one account hold ids another account was about to use
 * (their streams refused with "already in use") and learn which ids were live elsewhere.
 */
@Component
class LiveConnections {

    private record Key(AccountId account, String connectionId) {
    }

    private final ConcurrentMap<Key, String> live = new ConcurrentHashMap<>();

    /** Claims {@code connectionId} of {@code account} for the session; false when another live session holds it. */
    boolean claim(String connectionId, AccountId account, String sessionId) {
        return live.putIfAbsent(new Key(account, connectionId), sessionId) == null;
    }

    void release(String connectionId, AccountId account, String sessionId) {
        live.remove(new Key(account, connectionId), sessionId);
    }
}
