package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.opentrackers.embedding.Protobuf.Writer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder with a float graph, the kind {@code optimum-cli export onnx} writes (docs/models.md): it has no
 * per-run quantisation, so it is run as it is, under the descriptor's id, one text per run. The graph is built here
 * (a token-vector table looked up by {@code Gather}) so that the expected vectors can be computed by hand.
 */
class FloatModelTest {

    private static final int HIDDEN = 4;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    /** Tokens of MiniLM's tokenizer (bert-base-uncased's vocabulary), whose folder the test borrows. */
    private static final int BERT_UNCASED_VOCABULARY = 30522;

    @TempDir
    Path dir;

    @Test
    void aFloatGraphRunsAsItIsUnderItsOwnIdOneTextPerRun() throws IOException {
        Path folder = ModelFolderTest.miniLmFolder(dir, """
                {"id": "my-float-model", "pooling": "mean"}""");
        Path tokenizerFile = folder.resolve(ModelDescriptor.TOKENIZER_FILE);
        Files.write(folder.resolve(ModelDescriptor.MODEL_FILE), tokenVectorGraph(BERT_UNCASED_VOCABULARY));
        Path workDir = dir.resolve("work");
        List<String> texts = List.of("I ran out of budget", "cancel my subscription",
                "We are cancelling all our subscriptions next month, the budget is gone.", "hi");

        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.fromFolder(folder, workDir, 2, 1, 32);
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerFile,
                        Map.of("padding", "false"))) {
            // nothing to fix: the vectors are the graph's own, stored under the descriptor's id
            assertThat(model.id()).isEqualTo("my-float-model");
            assertThat(model.batchTexts()).as("a float graph's padded runs differ in rounding").isEqualTo(1);
            try (Stream<Path> written = Files.list(workDir)) {
                assertThat(written.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("fixed-scales"));
            }
            assertThat(model.dimension()).isEqualTo(HIDDEN);

            float[][] together = model.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                float[] expected = meanOfTokenVectors(tokenizer.encode(texts.get(i)).getIds());
                assertThat(together[i]).as(texts.get(i)).containsExactly(expected, within(1e-6f));
                assertThat(model.embed(List.of(texts.get(i)))[0]).as("alone").isEqualTo(together[i]);
            }
        }
    }

    /** Token {@code t}'s vector in the graph's table: distinct for every token, no two tokens parallel. */
    private static float tokenValue(long token, int d) {
        return (float) Math.sin(0.37 * token * (d + 1) + d);
    }

    private static float[] meanOfTokenVectors(long[] tokens) {
        double[] sum = new double[HIDDEN];
        for (long token : tokens) {
            for (int d = 0; d < HIDDEN; d++) {
                sum[d] += tokenValue(token, d);
            }
        }
        double norm = 0;
        for (double s : sum) {
            norm += s * s;
        }
        float[] vector = new float[HIDDEN];
        for (int d = 0; d < HIDDEN; d++) {
            vector[d] = (float) (sum[d] / Math.sqrt(norm));
        }
        return vector;
    }

    /**
     * An encoder in shape only: {@code last_hidden_state[b, t] = table[input_ids[b, t]]}, float32, with the inputs
     * a BERT export has ({@code attention_mask} is declared and unused, as a graph may leave an input).
     */
    private static byte[] tokenVectorGraph(int vocabulary) {
        ByteBuffer table = ByteBuffer.allocate(4 * vocabulary * HIDDEN).order(ByteOrder.LITTLE_ENDIAN);
        for (int token = 0; token < vocabulary; token++) {
            for (int d = 0; d < HIDDEN; d++) {
                table.putFloat(tokenValue(token, d));
            }
        }
        Writer initializer = new Writer().varint(1, vocabulary).varint(1, HIDDEN).varint(2, FLOAT)
                .string(8, "table").bytes(9, table.array());
        Writer gather = new Writer().string(1, "table").string(1, "input_ids").string(2, "last_hidden_state")
                .string(3, "lookup").string(4, "Gather");
        Writer graph = new Writer().message(1, gather).string(2, "token-vectors").message(5, initializer)
                .message(11, valueInfo("input_ids", INT64, "batch", "tokens"))
                .message(11, valueInfo("attention_mask", INT64, "batch", "tokens"))
                .message(12, valueInfo("last_hidden_state", FLOAT, "batch", "tokens", HIDDEN));
        return new Writer().varint(1, 8).string(2, "float-model-test").message(7, graph)
                .message(8, new Writer().string(1, "").varint(2, 13)).toByteArray();
    }

    /** ValueInfoProto of a tensor; a String dimension is symbolic, an Integer fixed. */
    private static Writer valueInfo(String name, int elementType, Object... dimensions) {
        Writer shape = new Writer();
        for (Object dimension : dimensions) {
            shape.message(1, dimension instanceof Integer size ? new Writer().varint(1, size)
                    : new Writer().string(2, (String) dimension));
        }
        Writer tensor = new Writer().varint(1, elementType).message(2, shape);
        return new Writer().string(1, name).message(2, new Writer().message(1, tensor));
    }
}
