package io.opentrackers.embedding;

import java.util.Arrays;

/**
 * The models we can load offline: each ONNX file and tokenizer is a resource at the root of a
 * {@code dev.langchain4j:langchain4j-embeddings-*} jar (used as a resource carrier only).
 */
public enum ModelSpec {

    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json",
            Pooling.MEAN),
    BGE_SMALL_EN_V15_Q("bge-small-en-v15-q", "/bge-small-en-v1.5-q.onnx", "/bge-small-en-v1.5-q-tokenizer.json",
            Pooling.CLS),
    // e5 was trained with a role prefix on every text; "query: " on both sides is its recipe for symmetric
    // similarity (message vs phrase)
    E5_SMALL_V2_Q("e5-small-v2-q", "/e5-small-v2-q.onnx", "/e5-small-v2-q-tokenizer.json", Pooling.MEAN, "query: ");

    enum Pooling { MEAN, CLS }

    private final String id;
    final String modelResource;
    final String tokenizerResource;
    final Pooling pooling;
    /** Put before every text the model embeds. */
    final String textPrefix;

    ModelSpec(String id, String modelResource, String tokenizerResource, Pooling pooling) {
        this(id, modelResource, tokenizerResource, pooling, "");
    }

    ModelSpec(String id, String modelResource, String tokenizerResource, Pooling pooling, String textPrefix) {
        this.id = id;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.pooling = pooling;
        this.textPrefix = textPrefix;
    }

    public String id() {
        return id;
    }

    public static ModelSpec byId(String id) {
        return Arrays.stream(values()).filter(spec -> spec.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("trackers.embedding.model: unknown model '" + id
                        + "', expected one of " + Arrays.stream(values()).map(ModelSpec::id).toList()));
    }
}
