package io.opentrackers.matching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentrackers.account.AccountId;
import java.util.concurrent.CompletableFuture;

/**
 * The vectors of the last few texts embedded, per account. The first caller of an account to ask for a text owns
 * its embedding; callers of that account asking meanwhile wait for it instead of embedding it again. Only a cache: a
 * text embedded alone always gets the same vector (docs/matching.md, "Determinism"), so whether it came from here or
 * from a fresh run changes nothing but the time.
 *
 * <p>Kept apart per account because that time is visible: were the texts shared, a call on a text another account
 * sent moments ago would be answered faster, and an account could confirm a guess of another's words
 * (docs/security.md).
 */
final class RecentVectors {

    /** The vector of a text, still being computed or done; {@code owned}: the caller must compute it. */
    record Claim(CompletableFuture<float[]> vector, boolean owned) {
    }

    /** A text as one account sent it ({@code account} is null for the offline commands, which serve no account). */
    private record Key(AccountId account, String text) {
    }

    private final Cache<Key, CompletableFuture<float[]>> vectors;

    RecentVectors(int capacity) {
        vectors = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    Claim claim(AccountId account, String text) {
        CompletableFuture<float[]> fresh = new CompletableFuture<>();
        CompletableFuture<float[]> known = vectors.asMap().putIfAbsent(new Key(account, text), fresh);
        return known != null ? new Claim(known, false) : new Claim(fresh, true);
    }

    /** The owner could not compute the vector: waiting callers fail with it, and the next one tries again. */
    void fail(AccountId account, String text, CompletableFuture<float[]> vector, RuntimeException cause) {
        vectors.asMap().remove(new Key(account, text), vector);
        vector.completeExceptionally(cause);
    }
}
