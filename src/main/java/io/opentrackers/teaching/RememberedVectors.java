package io.opentrackers.teaching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.EmbeddingModelDecorator;
import java.util.ArrayList;
import java.util.List;

/**
 * The model for the quality estimate: remembers the last {@code capacity} vectors it computed, by text, across
 * requests. A tracker's estimate is asked for again after every label, and each time embeds the word windows of
 * its long examples (their own vectors are stored); those are the same texts every time. Every text is its own
 * model run, so a remembered vector is the one a new run would give. Thread-safe.
 */
final class RememberedVectors extends EmbeddingModelDecorator {

    private final Cache<String, float[]> vectors;

    RememberedVectors(EmbeddingModel model, long capacity) {
        super(model);
        this.vectors = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    @Override
    public float[][] embed(List<String> texts) {
        float[][] result = new float[texts.size()][];
        List<String> missing = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            result[i] = vectors.getIfPresent(texts.get(i));
            if (result[i] == null) {
                missing.add(texts.get(i));
                positions.add(i);
            }
        }
        if (!missing.isEmpty()) {
            float[][] computed = model.embed(missing);
            for (int k = 0; k < computed.length; k++) {
                vectors.put(missing.get(k), computed[k]);
                result[positions.get(k)] = computed[k];
            }
        }
        return result;
    }
}
