package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.matching.Aggregation;
import io.opentrackers.matching.MatchingPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Bring your own model: a folder built here from a shipped model jar's resources, as a user would export one. */
class ModelFolderTest {

    @TempDir
    Path workDir;

    /** MiniLM's ONNX file and tokenizer copied out of its jar into a folder with the given descriptor. */
    static Path miniLmFolder(Path parent, String descriptor) throws IOException {
        return folderOf(ModelSpec.ALL_MINILM_L6_V2_Q, parent, descriptor);
    }

    /** A shipped model's ONNX file and tokenizer copied out of its jar into a folder with the given descriptor. */
    public static Path folderOf(ModelSpec shipped, Path parent, String descriptor) throws IOException {
        Path folder = Files.createDirectories(parent.resolve("my-model"));
        copy(shipped.modelResource(), folder.resolve(ModelDescriptor.MODEL_FILE));
        copy(shipped.tokenizerResource(), folder.resolve(ModelDescriptor.TOKENIZER_FILE));
        Files.writeString(folder.resolve(ModelDescriptor.FILE), descriptor);
        return folder;
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = ModelFolderTest.class.getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }

    @Test
    void aFolderModelGivesTheVectorsOfTheSameBuiltInModel() throws IOException {
        Path folder = miniLmFolder(workDir, """
                {"id": "my-minilm", "pooling": "mean", "maxTokens": 256}""");
        List<String> texts = List.of("I ran out of budget", "cancel my subscription", "hi");
        try (OnnxEmbeddingModel mine = OnnxEmbeddingModel.fromFolder(folder, workDir.resolve("work"), 2, 1, 32);
                OnnxEmbeddingModel builtIn = OnnxEmbeddingModel.builtIn(ModelSpec.ALL_MINILM_L6_V2_Q,
                        workDir.resolve("work"), 1, 1, 32)) {
            assertThat(mine.descriptor().id()).isEqualTo("my-minilm");
            assertThat(mine.dimension()).isEqualTo(384);
            assertThat(mine.embed(texts)).isDeepEqualTo(builtIn.embed(texts));
            // a model without calibration is calibrated from the tracker set until the descriptor says otherwise
            MatchingPolicy policy = mine.descriptor().calibration()
                    .applyTo(MatchingPolicy.calibratedFor(mine.descriptor().id()));
            assertThat(policy).isEqualTo(MatchingPolicy.calibratedFor("any unknown model"));
            assertThat(policy.aggregation()).isEqualTo(Aggregation.CLASSIFIER);
            assertThat(policy.calibrationQuantile()).isEqualTo(
                    MatchingPolicy.calibratedFor(ModelSpec.BGE_SMALL_EN_V15_Q.id()).calibrationQuantile());
            // a penalty in cosine belongs to one model's scale; in spreads of each tracker's evidence it fits any
            assertThat(policy.penaltyUnit()).isEqualTo(MatchingPolicy.PenaltyUnit.EVIDENCE_SPREAD);
            assertThat(policy.uncertaintyPenalty()).isEqualTo(1);
            // the bundled MiniLM decides the same way, with its own prior and sensitivity step
            assertThat(MatchingPolicy.calibratedFor(ModelSpec.ALL_MINILM_L6_V2_Q.id()))
                    .isEqualTo(policy.withThreshold(0.42).withSpread(0.2));
        }
    }

    @Test
    void theDescriptorsCalibrationAndPrefixAreRead() throws IOException {
        Path folder = miniLmFolder(workDir, """
                {"id": "my-minilm", "pooling": "CLS", "prefix": "query: ",
                 "calibration": {"aggregation": "classifier", "threshold": 0.62, "uncertainty-penalty": 0.05}}""");
        ModelDescriptor descriptor = ModelDescriptor.readFolder(folder);
        assertThat(descriptor.pooling()).isEqualTo(ModelDescriptor.Pooling.CLS);
        assertThat(descriptor.prefix()).isEqualTo("query: ");
        assertThat(descriptor.maxTokens()).isEqualTo(256);
        MatchingPolicy policy = descriptor.calibration().applyTo(MatchingPolicy.calibratedFor(descriptor.id()));
        assertThat(policy.aggregation()).isEqualTo(Aggregation.CLASSIFIER);
        assertThat(policy.threshold()).isEqualTo(0.62);
        assertThat(policy.uncertaintyPenalty()).isEqualTo(0.05);

        // the quantile of the thresholds from the tracker set is one of the calibration's values too
        Files.writeString(folder.resolve(ModelDescriptor.FILE), """
                {"id": "my-minilm", "pooling": "mean", "calibration": {"calibration-quantile": 0.95}}""");
        MatchingPolicy quantile = ModelDescriptor.readFolder(folder).calibration()
                .applyTo(MatchingPolicy.calibratedFor("my-minilm"));
        assertThat(quantile.calibrationQuantile()).isEqualTo(0.95);
        assertThat(quantile.aggregation()).isEqualTo(Aggregation.CLASSIFIER);
    }

    @Test
    void aBadFolderIsRefusedNamingTheFileAndTheReason() throws IOException {
        Path folder = miniLmFolder(workDir, """
                {"id": "my-minilm", "pooling": "max"}""");
        assertThatThrownBy(() -> ModelDescriptor.readFolder(folder)).hasMessageContaining("trackers.embedding.model-dir")
                .hasMessageContaining(ModelDescriptor.FILE).hasMessageContaining("pooling must be \"cls\" or \"mean\"");

        Files.writeString(folder.resolve(ModelDescriptor.FILE), """
                {"id": "my-minilm", "pooling": "mean", "calibration": {"threshold": 3}}""");
        assertThatThrownBy(() -> ModelDescriptor.readFolder(folder)).hasMessageContaining("threshold");

        // a misspelt calibration value would otherwise leave the model at the policy the user meant to change
        Files.writeString(folder.resolve(ModelDescriptor.FILE), """
                {"id": "my-minilm", "pooling": "mean", "calibration": {"treshold": 0.8}}""");
        assertThatThrownBy(() -> ModelDescriptor.readFolder(folder))
                .hasMessageContaining("calibration: unknown field 'treshold'").hasMessageContaining("threshold");

        Files.writeString(folder.resolve(ModelDescriptor.FILE), """
                {"id": "my-minilm", "pooling": "mean", "max_tokens": 128}""");
        assertThatThrownBy(() -> ModelDescriptor.readFolder(folder)).hasMessageContaining("unknown field 'max_tokens'");

        Files.writeString(folder.resolve(ModelDescriptor.FILE), "{\"id\": ");
        assertThatThrownBy(() -> ModelDescriptor.readFolder(folder)).hasMessageContaining("not valid JSON");

        Files.delete(folder.resolve(ModelDescriptor.TOKENIZER_FILE));
        assertThatThrownBy(() -> new EmbeddingProperties("bge-small-en-v15-q", folder, workDir, 0, 1024, 1, 32,
                DataSize.ofBytes(0)))
                .hasMessageContaining("missing tokenizer.json");
    }

    /** A negative size for the remembered vectors stops the start, naming the setting (docs/operations.md). */
    @Test
    void aNegativeSizeForTheRememberedVectorsIsRefused() {
        assertThatThrownBy(() -> new EmbeddingProperties("bge-small-en-v15-q", null, workDir, 0, 1024, 1, 32,
                DataSize.parse("-1MB")))
                .hasMessage("trackers.embedding.remembered-vectors must not be negative, was -1048576B");
        assertThat(new EmbeddingProperties("bge-small-en-v15-q", null, workDir, 0, 1024, 1, 32, DataSize.ofBytes(0))
                .rememberedVectors().toBytes()).as("0 turns the memory off").isZero();
    }

    /** Texts per run outside 1..1024 stop the start, naming the setting; 1 means one text a run. */
    @Test
    void aBatchOfNoTextsIsRefused() {
        assertThatThrownBy(() -> new EmbeddingProperties("bge-small-en-v15-q", null, workDir, 0, 1024, 1, 0,
                DataSize.ofBytes(0)))
                .hasMessage("trackers.embedding.batch-texts must be 1..1024, was 0");
        assertThat(new EmbeddingProperties("bge-small-en-v15-q", null, workDir, 0, 1024, 1, 1, DataSize.ofBytes(0))
                .batchTexts()).isEqualTo(1);
    }

    @Test
    void aModelWhoseInputsCannotBeFedIsRefusedAtLoad() throws IOException {
        Path folder = miniLmFolder(workDir, """
                {"id": "vocabulary-scorer", "pooling": "mean"}""");
        // an ONNX graph that is no text encoder: its input is a float matrix named "spans"
        Files.write(folder.resolve(ModelDescriptor.MODEL_FILE), MatMulGraph.model(new float[][] {{1, 0}}, 2));
        assertThatThrownBy(() -> OnnxEmbeddingModel.fromFolder(folder, workDir.resolve("work"), 1, 1, 32))
                .isInstanceOf(EmbeddingModelException.class).hasMessageContaining("needs input 'spans'");
    }
}
