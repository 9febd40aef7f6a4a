package io.opentrackers.teaching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentrackers.account.AccountId;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.EmbeddingModelDecorator;
import java.util.ArrayList;
import java.util.List;

/**
 * The vectors for the quality estimate and the suggestions: the last {@code capacity} vectors computed, by account
 * and text, across requests. A tracker's estimate is asked for again after every label, and each time embeds the
 * word windows of its long examples (their own vectors are stored); those are the same texts every time. Every text
 * is its own model run, so a remembered vector is the one a new run would give. Kept apart per account, so that no
 * account's answer time tells whether another account's examples hold a text (docs/security.md). Thread-safe.
 */
final class RememberedVectors {

    private record Key(AccountId account, String text) {
    }

    private final EmbeddingModel model;
    private final Cache<Key, float[]> vectors;

    RememberedVectors(EmbeddingModel model, long capacity) {
        this.model = model;
        this.vectors = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    /** The model for {@code account}'s texts: remembers what it computes for that account only. */
    EmbeddingModel of(AccountId account) {
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
