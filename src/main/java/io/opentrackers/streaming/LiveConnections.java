package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Connection ids that are live right now, per account. Within an account a connection id names one live connection:
 * a new connection with the id of one still open replaces it (the official SDK reconnects with the same id after a
 * network drop, which the server often learns of only much later, so refusing it kept the client out of its own id
 * until the idle timeout). Between accounts the ids are
 * independent: every connection gets its own stream and conversation, so there is nothing another account's
 * connection could attach to, and a global claim only let one account hold ids another account was about to use
 * (their streams refused with "already in use") and learn which ids were live elsewhere.
 */
@Component
class LiveConnections {

    private record Key(AccountId account, String connectionId) {
    }

    private final ConcurrentMap<Key, String> live = new ConcurrentHashMap<>();

    /**
     * Claims {@code connectionId} of {@code account} for the session; returns the session that held it until now (to
     * be closed by the caller), or null. The replaced session's later {@link #release} leaves the new claim alone.
     */
    String take(String connectionId, AccountId account, String sessionId) {
        return live.put(new Key(account, connectionId), sessionId);
    }

    /** Whether a connection of {@code account} with {@code connectionId} is live here (a new one would replace it). */
    boolean isLive(AccountId account, String connectionId) {
        return live.containsKey(new Key(account, connectionId));
    }

    void release(String connectionId, AccountId account, String sessionId) {
        live.remove(new Key(account, connectionId), sessionId);
    }
}
