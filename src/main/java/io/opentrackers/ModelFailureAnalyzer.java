package io.opentrackers;

import io.opentrackers.embedding.EmbeddingModelException;
import io.opentrackers.embedding.ModelDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Turns a model that ONNX Runtime or the tokenizer cannot load (a file the service's user may not read, a truncated or
 * foreign {@code model.onnx}) into Spring Boot's "APPLICATION FAILED TO START" summary, naming the file, the reason and
 * {@code trackers.embedding.model-dir}. Without it the start ended in a 138-line stack trace of bean names
 * (deletedAccountDetection → vocabularyWarmUp → vocabularyVectors → embeddingModel) with ONNX Runtime's
 * "system error number 13" six causes down. A folder that does not exist or lacks a file is caught earlier, when
 * the setting is bound.
 */
class ModelFailureAnalyzer implements FailureAnalyzer {

    private final Environment environment;

    ModelFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EmbeddingModelException model) {
                return analysis(model);
            }
        }
        return null;
    }

    private FailureAnalysis analysis(EmbeddingModelException e) {
        String folder = environment.getProperty("trackers.embedding.model-dir");
        StringBuilder description = new StringBuilder("The service could not load its embedding model.\n\n");
        if (StringUtils.hasText(folder)) {
            description.append("    Folder: ").append(Path.of(folder).toAbsolutePath()).append(
                    " (trackers.embedding.model-dir)\n");
        } else {
            description.append("    Model:  ").append(environment.getProperty("trackers.embedding.model"))
                    .append(" (trackers.embedding.model)\n");
        }
        description.append("    Reason: ").append(e.getMessage());
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            description.append(": ").append(e.getCause().getMessage().strip());
        }
        List<String> unreadable = StringUtils.hasText(folder) ? unreadable(Path.of(folder)) : List.of();
        if (!unreadable.isEmpty()) {
            description.append("\n    Not readable by this process (user ").append(System.getProperty("user.name"))
                    .append("): ").append(String.join(", ", unreadable));
        }
        String action = StringUtils.hasText(folder)
                ? "The folder's " + ModelDescriptor.MODEL_FILE + ", " + ModelDescriptor.TOKENIZER_FILE + " and "
                        + ModelDescriptor.FILE + " must be readable by the service's user, and " + ModelDescriptor.MODEL_FILE
                        + " a complete ONNX export of the model (docs/models.md, \"A model folder\"). Unset "
                        + "trackers.embedding.model-dir to use a bundled model (trackers.embedding.model)."
                : "Check that the jar is complete (its size matches the released one) and that java.io.tmpdir (or "
                        + "trackers.embedding.work-dir) is writable: the bundled model is unpacked there.";
        return new FailureAnalysis(description.toString(), action, e);
    }

    private static List<String> unreadable(Path folder) {
        return List.of(ModelDescriptor.MODEL_FILE, ModelDescriptor.TOKENIZER_FILE, ModelDescriptor.FILE).stream()
                .filter(file -> Files.exists(folder.resolve(file)) && !Files.isReadable(folder.resolve(file)))
                .toList();
    }
}
