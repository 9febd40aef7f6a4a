package io.opentrackers.embedding;

import io.opentrackers.embedding.ModelDescriptor.Pooling;
import java.util.Arrays;

/**
 * The models we can load offline: each ONNX file and tokenizer is a resource at the root of a
 * {@code dev.langchain4j:langchain4j-embeddings-*} jar (used as a resource carrier only). Any other encoder can be
 * loaded from a model folder ({@link ModelDescriptor}).
 */
public enum ModelSpec {

    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json",
            Pooling.MEAN),
    BGE_SMALL_EN_V15_Q("bge-small-en-v15-q", "/bge-small-en-v1.5-q.onnx", "/bge-small-en-v1.5-q-tokenizer.json",
            Pooling.CLS),
    // e5 was trained with a role prefix on every text; "query: " on both sides is its recipe for symmetric
    // similarity (message vs phrase)
    E5_SMALL_V2_Q("e5-small-v2-q", "/e5-small-v2-q.onnx", "/e5-small-v2-q-tokenizer.json", Pooling.MEAN, "query: ");

    private final String modelResource;
    private final String tokenizerResource;
    private final ModelDescriptor descriptor;

    ModelSpec(String id, String modelResource, String tokenizerResource, Pooling pooling) {
        this(id, modelResource, tokenizerResource, pooling, "");
    }

    ModelSpec(String id, String modelResource, String tokenizerResource, Pooling pooling, String textPrefix) {
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        // the built-in models' policies are calibrated in MatchingPolicy.calibratedFor, by id
        this.descriptor = new ModelDescriptor(id, pooling, textPrefix, ModelDescriptor.DEFAULT_MAX_TOKENS, null);
    }

    public String id() {
        return descriptor.id();
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    String modelResource() {
        return modelResource;
    }

    String tokenizerResource() {
        return tokenizerResource;
    }

    public static ModelSpec byId(String id) {
        return Arrays.stream(values()).filter(spec -> spec.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("trackers.embedding.model: unknown model '" + id
                        + "', expected one of " + Arrays.stream(values()).map(ModelSpec::id).toList()
                        + " (or a model folder in trackers.embedding.model-dir)"));
    }
}
