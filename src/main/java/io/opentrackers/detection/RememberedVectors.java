package io.opentrackers.detection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.opentrackers.account.AccountId;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.EmbeddingModelDecorator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The vectors of the account's last texts, across calls: detection (a job's or stream's sentences, their clauses and
 * word windows), the quality estimate and the suggestions all embed through it. An account's conversations repeat
 * many sentences ("Thank you.", "Is there anything else?"), and a tracker's estimate embeds the same example windows
 * after every label; each reaches the model once while it is remembered. Every text is its own model run
 * (docs/matching.md, "Determinism"), so a remembered vector is bit for bit the one a new run would give: only the
 * time changes. Kept apart per account, so that no account's answer time tells whether another account sent a text
 * (docs/security.md). Thread-safe; two calls asking for a text at once may both run it.
 */
public final class RememberedVectors {

    private record Key(AccountId account, String text) {
    }

    /** What an entry costs besides its vector and its text: the key, the headers of both arrays, the cache's node. */
    private static final int ENTRY_BYTES = 128;
    /** The {@code cache} tag of its hits, misses and evictions ({@code cache.gets} …, docs/operations.md). */
    static final String METRICS_NAME = "trackers.remembered-vectors";

    private final EmbeddingModel model;
    private final Cache<Key, float[]> vectors;

    /**
     * @param maxBytes heap the vectors and their texts may take, over all accounts (0: none). Bounded by size rather
     *                 than count, because a text can be a whole message of up to a megabyte.
     */
    public RememberedVectors(EmbeddingModel model, long maxBytes, MeterRegistry meters) {
        this(model, maxBytes, ForkJoinPool.commonPool());
        CaffeineCacheMetrics.monitor(meters, vectors, METRICS_NAME);
    }

    /** @param maintenance where the cache evicts (Caffeine's default; a test evicts on its own thread) */
    RememberedVectors(EmbeddingModel model, long maxBytes, Executor maintenance) {
        this.model = model;
        this.vectors = Caffeine.newBuilder().maximumWeight(maxBytes).executor(maintenance).recordStats()
                .weigher((Key key, float[] vector) -> bytes(key.text(), vector)).build();
    }

    /** The heap an entry takes (a text's characters counted at two bytes, as a string of any script can hold them). */
    static int bytes(String text, float[] vector) {
        return ENTRY_BYTES + 2 * text.length() + Float.BYTES * vector.length;
    }

    /** The model for {@code account}'s texts: remembers what it computes for that account only. */
    public EmbeddingModel of(AccountId account) {
        return new EmbeddingModelDecorator(model) {
            @Override
            public float[][] embed(List<String> texts) {
                return embedRemembering(account, texts);
            }
        };
    }

    private float[][] embedRemembering(AccountId account, List<String> texts) {
        float[][] result = new float[texts.size()][];
        List<String> missing = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            result[i] = vectors.getIfPresent(new Key(account, texts.get(i)));
            if (result[i] == null) {
                missing.add(texts.get(i));
                positions.add(i);
            }
        }
        if (!missing.isEmpty()) {
            float[][] computed = model.embed(missing);
            for (int k = 0; k < computed.length; k++) {
                vectors.put(new Key(account, missing.get(k)), computed[k]);
                result[positions.get(k)] = computed[k];
            }
        }
        return result;
    }
}
