package io.opentrackers.evaluation;

import io.opentrackers.embedding.EmbeddingProperties;
import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.embedding.OnnxEmbeddingModel;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.PolicyOverrides;
import java.nio.file.Path;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The model and the matching policy of a measurement, shared by {@code evaluate} and {@code benchmark}. The policy
 * flags are read by {@link PolicyOverrides#parse}, the reader of {@code trackers.matching.*}, so a policy measured
 * here is the one the service runs with the same settings.
 */
final class MatchingOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", defaultValue = "bge-small-en-v15-q", paramLabel = "ID",
            description = "embedding model: bge-small-en-v15-q, all-minilm-l6-v2-q or e5-small-v2-q (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "a model folder (model.onnx, tokenizer.json, opentrackers-model.json) instead of --model")
    Path modelDir;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "threads embedding the texts of one call (default 0: one per processor)")
    int threads;

    @Option(names = "--batch-texts", defaultValue = "" + OnnxEmbeddingModel.DEFAULT_BATCH_TEXTS, paramLabel = "N",
            description = "texts one model run may hold (1: every text its own run; default: ${DEFAULT-VALUE})")
    int batchTexts;

    @Option(names = "--aggregation", paramLabel = "NAME",
            description = "MAX, TOP2_MEAN, TOP3_MEAN, CENTROID, MAX_CENTROID or CLASSIFIER (default: the model's calibrated one)")
    String aggregation;

    @Option(names = "--threshold", paramLabel = "T", description = "similarity threshold (default: calibrated)")
    String threshold;

    @Option(names = "--margin", paramLabel = "M", description = "lead over the runner-up tracker (default: calibrated)")
    String margin;

    @Option(names = "--min-probability", paramLabel = "P",
            description = "CLASSIFIER: least probability of the best tracker (default: calibrated)")
    String minProbability;

    @Option(names = "--uncertainty-penalty", paramLabel = "U",
            description = "CLASSIFIER: how sure the classifier must be (default: calibrated)")
    String uncertaintyPenalty;

    @Option(names = "--calibration-quantile", paramLabel = "Q",
            description = "per-tracker thresholds from the tracker set: the Q-quantile of the other trackers' phrases'"
                    + " scores (0 = off, a fixed --threshold; default: calibrated)")
    String calibrationQuantile;

    /** The model these options name, as the service loads it with the same settings. */
    OnnxEmbeddingModel load(Path workDir) {
        return properties(workDir).load();
    }

    private EmbeddingProperties properties(Path workDir) {
        try {
            return new EmbeddingProperties(model, modelDir, workDir, threads, 1024, 1, batchTexts,
                    DataSize.ofBytes(0));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    /** The same options with another number of threads. */
    MatchingOptions withThreads(int count) {
        MatchingOptions copy = new MatchingOptions();
        copy.command = command;
        copy.model = model;
        copy.modelDir = modelDir;
        copy.threads = count;
        copy.batchTexts = batchTexts;
        return copy;
    }

    /** The id of the model these options name; a {@code --model-dir} that is no model folder is a usage error. */
    String modelId() {
        try {
            return modelDir == null ? model : ModelDescriptor.readFolder(modelDir).id();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    /** The model's calibrated policy with the given overrides; a bad value is a usage error (exit code 2). */
    MatchingPolicy policy() {
        try {
            // checked one by one as the service checks trackers.matching.*: the policy's own check names no value
            return PolicyOverrides.parse(name -> {
                OptionSpec option = command.findOption("--" + name);
                return option == null ? null : option.getValue();
            }).checked("--").applyTo(calibration().applyTo(MatchingPolicy.calibratedFor(modelId())));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    private PolicyOverrides calibration() {
        return modelDir == null ? PolicyOverrides.NONE : ModelDescriptor.readFolder(modelDir).calibration();
    }
}
