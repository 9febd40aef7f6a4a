package io.opentrackers.embedding;

import io.opentrackers.common.Settings;
import java.nio.file.Path;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code trackers.embedding.*}.
 *
 * @param model        which bundled model embeds messages and vocabularies ({@link ModelSpec} ids); ignored when
 *                     {@code modelDir} is set
 * @param modelDir     a model folder ({@code model.onnx}, {@code tokenizer.json}, {@value ModelDescriptor#FILE}) to
 *                     use instead of a bundled model; checked at start-up (docs/models.md)
 * @param workDir      writable directory for the model file and the native libraries, reused across starts
 *                     (default: {@code <java.io.tmpdir>/opentrackers-model})
 * @param threads      threads that may embed the texts of one call: the caller plus {@code threads - 1} helpers shared
 *                     by all callers (0, the default: one per processor; docs/performance.md)
 * @param nativeKernelMinRows vocabularies (phrases + one centroid per tracker) of at least this many rows are
 *                     scored with ONNX Runtime's matrix product, smaller ones in Java; the default 1 scores every
 *                     one natively, which was faster at every size measured (docs/performance.md)
 * @param intraOpThreads threads ONNX Runtime uses inside one model run; callers already run the model from
 *                     several threads (job and streaming workers, helpers), so 1 is the default (docs/performance.md)
 * @param batchTexts   texts one model run may hold (sorted by length, padded) when a text's vector is the same alone
 *                     and beside others, which the model checks at start-up; 1: every text its own run
 *                     (docs/performance.md, "Fixed activation scales")
 * @param rememberedVectors heap for the vectors of the accounts' last texts, with the texts (detection's
 *                     {@code RememberedVectors}): a sentence an account sent before is not run again while it is
 *                     remembered (0: none; docs/performance.md)
 */
@ConfigurationProperties("trackers.embedding")
public record EmbeddingProperties(
        @DefaultValue("bge-small-en-v15-q") String model,
        Path modelDir,
        Path workDir,
        @DefaultValue("0") int threads,
        @DefaultValue("" + OnnxSimilarityKernel.DEFAULT_MIN_ROWS) int nativeKernelMinRows,
        @DefaultValue("1") int intraOpThreads,
        @DefaultValue("" + OnnxEmbeddingModel.DEFAULT_BATCH_TEXTS) int batchTexts,
        @DefaultValue("32MB") DataSize rememberedVectors) {

    public EmbeddingProperties {
        if (modelDir == null) {
            ModelSpec.byId(model); // fail at start-up on an unknown id, naming the property
        } else {
            ModelDescriptor.readFolder(modelDir); // fail at start-up on a missing file or a bad descriptor
        }
        if (workDir == null) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "opentrackers-model");
        }
        if (threads < 0 || threads > 64) {
            throw new IllegalArgumentException("trackers.embedding.threads must be 0..64 (0: one per processor), was "
                    + threads);
        }
        if (threads == 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        if (intraOpThreads < 1 || intraOpThreads > 64) {
            throw new IllegalArgumentException("trackers.embedding.intra-op-threads must be 1..64, was " + intraOpThreads);
        }
        if (batchTexts < 1 || batchTexts > 1024) {
            throw new IllegalArgumentException("trackers.embedding.batch-texts must be 1..1024, was " + batchTexts);
        }
        Settings.notNegative("trackers.embedding.remembered-vectors", rememberedVectors);
        if (nativeKernelMinRows < 1) {
            throw new IllegalArgumentException("trackers.embedding.native-kernel-min-rows must be >= 1, was "
                    + nativeKernelMinRows);
        }
    }

    /** Loads the configured model: the folder if one is set, else the bundled model. */
    public OnnxEmbeddingModel load() {
        return modelDir != null ? OnnxEmbeddingModel.fromFolder(modelDir, workDir, threads, intraOpThreads, batchTexts)
                : OnnxEmbeddingModel.builtIn(ModelSpec.byId(model), workDir, threads, intraOpThreads, batchTexts);
    }
}
