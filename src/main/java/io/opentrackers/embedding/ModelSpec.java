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
            Pooling.CLS);

    enum Pooling { MEAN, CLS }

    private final String id;
    final String modelResource;
    final String tokenizerResource;
    final Pooling pooling;

    ModelSpec(String id, String modelResource, String tokenizerResource, Pooling pooling) {
        this.id = id;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.pooling = pooling;
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
