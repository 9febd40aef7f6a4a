package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real (smallest) model from its jar: unit vectors in input order, the same whatever else is embedded. */
class OnnxEmbeddingModelTest {

    @TempDir
    static Path workDir;
    @TempDir
    static Path otherWorkDir;
    static OnnxEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = OnnxEmbeddingModel.builtIn(ModelSpec.ALL_MINILM_L6_V2_Q, workDir, 2, 1, 32);
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    void givesOneUnitVectorPerTextInInputOrder() {
        List<String> texts = List.of("A rather long sentence about the weather being nice and sunny today",
                "money", "I don't have any money", "The weather is nice today", "budget");
        float[][] together = model.embed(texts);
        assertThat(model.dimension()).isEqualTo(384);
        assertThat(together.length).isEqualTo(5);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(together[i]).hasSize(384);
            assertThat(cosine(together[i], together[i])).isCloseTo(1.0, within(1e-4));
            assertThat(together[i]).isEqualTo(model.embed(List.of(texts.get(i)))[0]);
        }
        assertThat(cosine(together[2], together[1])).isGreaterThan(cosine(together[2], together[3]) + 0.2);
        assertThat(cosine(together[3], together[0])).isGreaterThan(0.6);
    }

    @Test
    void e5EmbedsWithItsQueryPrefixSoParaphrasesScoreAboveUnrelatedText() throws Exception {
        try (OnnxEmbeddingModel e5 = OnnxEmbeddingModel.builtIn(ModelSpec.byId("e5-small-v2-q"), workDir, 1, 1, 32)) {
            float[][] vectors = e5.embed(List.of("I ran out of budget", "I don't have any money",
                    "The weather is nice today"));
            assertThat(cosine(vectors[0], vectors[0])).isCloseTo(1.0, within(1e-4));
            // the floor calibrated for e5 (MatchingPolicy) sits between these two
            assertThat(cosine(vectors[0], vectors[1])).isGreaterThan(0.84);
            assertThat(cosine(vectors[0], vectors[2])).isLessThan(0.84);
        }
    }

    /**
     * Emoji and scripts the vocabulary has no piece for all become the tokenizer's unknown token, and so one and the
     * same vector: "👍" scored 1.0 against a Thai phrase. The model says it cannot read them.
     */
    @Test
    void aTextOfNothingButPiecesTheModelDoesNotKnowIsNotRead() {
        assertThat(model.embed(List.of("👍"))[0]).as("the same vector").containsExactly(model.embed(List.of("สวัสดี"))[0]);
        assertThat(model.reads("👍")).isFalse();
        assertThat(model.reads("🎉🎉 ✅")).isFalse();
        assertThat(model.reads("สวัสดี")).isFalse();
        assertThat(model.reads("👍 ok")).isTrue();
        assertThat(model.reads("Thanks!")).isTrue();
        assertThat(model.reads("?")).as("punctuation is in the vocabulary").isTrue();
        assertThat(model.reads("Привет")).as("Cyrillic letters are in the vocabulary").isTrue();
        assertThat(model.reads("café")).isTrue();
    }

    @Test
    void unknownModelIdsAreRefusedNamingTheProperty() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelSpec.byId("gpt-9"))
                .hasMessageContaining("trackers.embedding.model").hasMessageContaining("bge-small-en-v15-q");
    }

    @Test
    void aTextGetsTheSameVectorAloneAmongOtherTextsAndAfterARestart() {
        assertThat(model.batchTexts()).as("texts share runs, so the crowd below is embedded together").isEqualTo(32);
        float[] alone = model.embed(List.of("I ran out of budget"))[0];
        // neighbours of very different lengths, so that a shared run would pad and quantise differently
        List<String> crowd = List.of("I want to cancel my membership.", "hi",
                "I still have not received my new card, I ordered it over a week ago and nobody answers my emails.",
                "I ran out of budget", "ok", "Is there a fee for topping up with a foreign card or by bank transfer?");
        for (int round = 0; round < 3; round++) {
            // the calls run on both threads of the model (the caller and its helper), in whatever order they get
            assertThat(model.embed(crowd)[3]).isEqualTo(alone);
        }
        assertThat(model.embed(List.of("I want to cancel my membership.", "I ran out of budget"))[1]).isEqualTo(alone);
        // a restart uses the graph fixed at the first start; a fresh work directory observes the ranges again, and
        // gets the same ones
        try (OnnxEmbeddingModel restarted = OnnxEmbeddingModel.builtIn(ModelSpec.ALL_MINILM_L6_V2_Q, workDir, 1, 1, 32);
                OnnxEmbeddingModel fresh = OnnxEmbeddingModel.builtIn(ModelSpec.ALL_MINILM_L6_V2_Q, otherWorkDir, 1, 1,
                        32)) {
            assertThat(restarted.embed(List.of("I ran out of budget"))[0]).isEqualTo(alone);
            assertThat(fresh.embed(List.of("I ran out of budget"))[0]).isEqualTo(alone);
            assertThat(fresh.id()).isEqualTo(model.id()).isEqualTo(restarted.id());
        }
    }

    @Test
    void theDefaultModelWithFixedScalesStaysCloseToItsPublishedGraph() throws Exception {
        List<String> texts = List.of("I ran out of budget", "Honestly, I don't have any money for this right now.",
                "Is there a fee for topping up with a foreign card or by bank transfer?", "ok");
        try (OnnxEmbeddingModel bge = OnnxEmbeddingModel.builtIn(ModelSpec.BGE_SMALL_EN_V15_Q, workDir, 2, 1, 32);
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(bge.tokenizerFile(), Map.of());
                OrtSession published = OrtEnvironment.getEnvironment().createSession(bge.modelFile().toString())) {
            // its own id: vectors of the published graph, stored before, are never mixed with these
            assertThat(bge.id()).matches("bge-small-en-v15-q~[0-9a-f]{8}");
            assertThat(bge.batchTexts()).isEqualTo(32);
            float[][] vectors = bge.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                long[] ids = tokenizer.encode(texts.get(i)).getIds();
                long[] shape = {1, ids.length};
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(ones(ids.length)), shape);
                        OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
                        OrtSession.Result result = published.run(Map.of("input_ids", input, "attention_mask", mask,
                                "token_type_ids", types))) {
                    float[] cls = new float[vectors[i].length];
                    ((OnnxTensor) result.get(0)).getFloatBuffer().get(0, cls);
                    // the published graph quantises each run by its own range: its vector of a text alone
                    assertThat(cosine(vectors[i], OnnxEmbeddingModel.normalise(cls))).as(texts.get(i))
                            .isGreaterThan(0.99);
                }
            }
        }
    }

    private static long[] ones(int length) {
        long[] ones = new long[length];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }
}
