package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code trackers.embedding.model-dir} as the application binds it: the folder's model is the one loaded. */
class ModelDirConfigurationTest {

    @TempDir
    Path workDir;

    private ApplicationContextRunner context() {
        return new ApplicationContextRunner().withUserConfiguration(EmbeddingConfiguration.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("trackers.embedding.work-dir=" + workDir.resolve("work"));
    }

    @Test
    void theConfiguredFolderIsTheApplicationsModel() throws IOException {
        Path folder = ModelFolderTest.miniLmFolder(workDir, """
                {"id": "my-minilm", "pooling": "mean", "calibration": {"threshold": 0.45}}""");
        context().withPropertyValues("trackers.embedding.model-dir=" + folder).run(started -> {
            assertThat(started).hasNotFailed();
            OnnxEmbeddingModel model = started.getBean(OnnxEmbeddingModel.class);
            assertThat(model.descriptor().id()).isEqualTo("my-minilm");
            assertThat(model.id()).startsWith("my-minilm~"); // int8: fixed scales, vectors under their own id
            assertThat(started.getBean(ModelDescriptor.class).calibration().threshold()).isEqualTo(0.45);
            assertThat(model.embed(List.of("I ran out of budget"))[0]).hasSize(384);
        });
    }

    /**
     * What Spring Boot's start-up summary prints is the failure's innermost cause alone: it must name the setting, the
     * file and what is wrong. It said only {@code must be a JSON object}, {@code unknown field 'poolng'} or a Jackson
     * message with the source "REDACTED", the folder and the file a cause further out.
     */
    static Stream<Arguments> badDescriptors() {
        return Stream.of(
                Arguments.of("[1, 2]", "must be a JSON object"),
                Arguments.of("{\"id\": \"m\", \"poolng\": \"cls\"}", "unknown field 'poolng'"),
                Arguments.of("{\"id\": \"m\", pooling", "not valid JSON: "),
                Arguments.of("{\"id\": \"m\", \"pooling\": \"cls\", \"calibration\": {\"threshold\": 7}}",
                        "calibration.threshold must be a cosine in [-1, 1], was 7.0"));
    }

    @ParameterizedTest
    @MethodSource("badDescriptors")
    void aBadDescriptorStopsTheStartNamingTheSettingTheFileAndTheReason(String descriptor, String reason)
            throws IOException {
        Path folder = ModelFolderTest.miniLmFolder(workDir, descriptor);
        context().withPropertyValues("trackers.embedding.model-dir=" + folder).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .hasMessageStartingWith("trackers.embedding.model-dir: "
                            + folder.resolve(ModelDescriptor.FILE).toAbsolutePath() + ": ")
                    .hasMessageContaining(reason);
        });
    }

    @Test
    void aBadFolderStopsTheStartWithItsReason() throws IOException {
        Path folder = ModelFolderTest.miniLmFolder(workDir, """
                {"id": "my-minilm", "pooling": "mean"}""");
        Files.delete(folder.resolve(ModelDescriptor.MODEL_FILE));
        context().withPropertyValues("trackers.embedding.model-dir=" + folder).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("trackers.embedding.model-dir")
                    .hasMessageContaining("missing model.onnx");
        });
    }
}
