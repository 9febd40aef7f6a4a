package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.job.PackagedService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder whose {@code model.onnx} ONNX Runtime cannot load (here cut short, as an interrupted copy leaves
 * it; a file the service's user may not read fails the same way) stops the packaged service with Spring Boot's
 * summary naming the folder, the file and the setting, rather than a stack trace of bean names only.
 */
class ModelFailureIT {

    @TempDir
    Path dir;

    @Test
    void aModelFileThatCannotBeLoadedStopsTheStartWithASummaryNamingTheSetting() throws Exception {
        // the bundled MiniLM, exported as a user would, then its model.onnx cut short
        Path folder = Files.createDirectories(dir.resolve("my-model"));
        Path model = folder.resolve(ModelDescriptor.MODEL_FILE);
        Files.write(model, Arrays.copyOf(resource("/all-minilm-l6-v2-q.onnx"), 2_000_000));
        Files.write(folder.resolve(ModelDescriptor.TOKENIZER_FILE),
                resource("/all-minilm-l6-v2-q-tokenizer.json"));
        Files.writeString(folder.resolve(ModelDescriptor.FILE), "{\"id\": \"my-minilm\", \"pooling\": \"mean\"}");
        Path log = dir.resolve("service.log");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Process service = PackagedService.launch(log, "--server.port=" + PackagedService.freePort(),
                    "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                    "--spring.datasource.username=postgres",
                    "--trackers.embedding.model-dir=" + folder);
            try {
                assertThat(service.waitFor(120, TimeUnit.SECONDS)).as("the start ends by itself; see %s", log).isTrue();
            } finally {
                service.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(service.exitValue()).as(output).isNotZero();
            assertThat(output)
                    .contains("APPLICATION FAILED TO START")
                    .contains("The service could not load its embedding model.")
                    .contains("Folder: " + folder.toAbsolutePath() + " (trackers.embedding.model-dir)")
                    .contains("Reason: cannot load " + model.toAbsolutePath())
                    .contains("must be readable by the service's user, and model.onnx a complete ONNX export");
        }
    }

    private static byte[] resource(String name) throws java.io.IOException {
        try (InputStream in = ModelFailureIT.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
