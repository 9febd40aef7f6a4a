package io.opentrackers.matching;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model for one call: a text it has embedded before in this call, or whose vector the caller brought (a stored
 * sentence or example vector), is not run again. Every text is its own model run (docs/matching.md, "Determinism"),
 * so a vector reused this way is bit for bit what a new run would give. Not thread-safe.
 */
public final class OncePerCallModel extends EmbeddingModelDecorator {

    private final Map<String, float[]> vectors;

    /** @param known vectors of {@code model} already at hand, by text */
    public OncePerCallModel(EmbeddingModel model, Map<String, float[]> known) {
        super(model);
        this.vectors = new HashMap<>(known);
    }

    @Override
    public float[][] embed(List<String> texts) {
        Set<String> fresh = new LinkedHashSet<>();
        for (String text : texts) {
            if (!vectors.containsKey(text)) {
                fresh.add(text);
            }
        }
        if (!fresh.isEmpty()) {
            List<String> run = List.copyOf(fresh);
            float[][] embedded = model.embed(run);
            for (int i = 0; i < run.size(); i++) {
                vectors.put(run.get(i), embedded[i]);
            }
        }
        float[][] result = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            result[i] = vectors.get(texts.get(i));
        }
        return result;
    }
}
