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

    /**
     * Whether the model knows any piece of {@code text}: false where its tokenizer turns every piece into its unknown
     * token ("👍", "🎉 ✅", Thai for an English model), which all get one and the same vector, so that such a message
     * scored 1.0 against a phrase in another script the model cannot read either. The matcher gives such a text no
     * meaning. A model without an unknown token reads everything.
     */
    default boolean reads(String text) {
        return true;
    }

    /**
     * The meaning of {@code texts} given their {@code vectors}, row for row: a text the model does not read
     * ({@link #reads}) has none, a zero vector (cosine 0 to every phrase and span). Other rows are the same arrays;
     * {@code vectors} itself is not changed. Messages and phrases alike: a phrase in a script the model cannot read
     * ("สวัสดี" for an English model) had the unknown token's vector, close to any text the model half reads
     * (Japanese, Greek, Russian scored 0.63–0.72 against it), which also raised its tracker's calibrated threshold.
     */
    default float[][] meaning(List<String> texts, float[][] vectors) {
        float[][] meaning = vectors.clone();
        for (int i = 0; i < meaning.length; i++) {
            if (!reads(texts.get(i))) {
                meaning[i] = new float[meaning[i].length];
            }
        }
        return meaning;
    }
}
