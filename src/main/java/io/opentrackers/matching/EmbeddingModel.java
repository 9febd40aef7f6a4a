package io.opentrackers.matching;

import java.util.List;

/**
 * A sentence-embedding model. Implementations return one L2-normalised vector per input, in input order, so that a
 * dot product is the cosine similarity, and are thread-safe unless they say otherwise ({@link OncePerCallModel}
 * lives for one call on one thread).
 */
public interface EmbeddingModel {

    float[][] embed(List<String> texts);

    /** Stable identifier of the weights; persisted next to stored vectors so a model switch re-embeds once. */
    String id();

    int dimension();
}
