package io.opentrackers.matching;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The vectors of the last few texts embedded, least recently used dropped first. The first caller to ask for a
 * text owns its embedding; callers asking meanwhile wait for it instead of embedding it again. Only a cache: a text
 * embedded alone always gets the same vector (docs/matching.md, "Determinism"), so whether it came from here or
 * from a fresh run changes nothing.
 */
final class RecentVectors {

    /** The vector of a text, still being computed or done; {@code owned}: the caller must compute it. */
    record Claim(CompletableFuture<float[]> vector, boolean owned) {
    }

    private final Map<String, CompletableFuture<float[]>> vectors;

    RecentVectors(int capacity) {
        vectors = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<float[]>> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Claim claim(String text) {
        CompletableFuture<float[]> known = vectors.get(text);
        if (known != null) {
            return new Claim(known, false);
        }
        CompletableFuture<float[]> fresh = new CompletableFuture<>();
        vectors.put(text, fresh);
        return new Claim(fresh, true);
    }

    /** The owner could not compute the vector: waiting callers fail with it, and the next one tries again. */
    void fail(String text, CompletableFuture<float[]> vector, RuntimeException cause) {
        synchronized (this) {
            vectors.remove(text, vector);
        }
        vector.completeExceptionally(cause);
    }
}
