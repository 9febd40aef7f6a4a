package io.opentrackers.embedding;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code trackers.embedding.*}.
 *
 * @param model        which bundled model embeds messages and vocabularies ({@link ModelSpec} ids)
 * @param workDir      writable directory for the model file and the native libraries, reused across starts
 *                     (default: {@code <java.io.tmpdir>/opentrackers-model})
 * @param maxBatchSize texts per model run; larger batches cost memory (activations) and barely gain speed
 * @param sortByLength batch texts of similar length together so that padding wastes little work
 * @param nativeKernelMinRows vocabularies (phrases + one centroid per tracker) of at least this many rows are
 *                     scored with ONNX Runtime's matrix product, smaller ones in Java (docs/performance.md)
 * @param intraOpThreads threads ONNX Runtime uses inside one model run; callers already run the model from
 *                     several threads (job and streaming workers), so 1 is the default (docs/performance.md)
 */
@ConfigurationProperties("trackers.embedding")
public record EmbeddingProperties(
        @DefaultValue("bge-small-en-v15-q") String model,
        Path workDir,
        @DefaultValue("32") int maxBatchSize,
        @DefaultValue("true") boolean sortByLength,
        @DefaultValue("1024") int nativeKernelMinRows,
        @DefaultValue("1") int intraOpThreads) {

    public EmbeddingProperties {
        ModelSpec.byId(model); // fail at start-up on an unknown id, naming the property
        if (workDir == null) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "opentrackers-model");
        }
        if (maxBatchSize < 1 || maxBatchSize > 512) {
            throw new IllegalArgumentException("trackers.embedding.max-batch-size must be 1..512, was " + maxBatchSize);
        }
        if (intraOpThreads < 1 || intraOpThreads > 64) {
            throw new IllegalArgumentException("trackers.embedding.intra-op-threads must be 1..64, was " + intraOpThreads);
        }
        if (nativeKernelMinRows < 1) {
            throw new IllegalArgumentException("trackers.embedding.native-kernel-min-rows must be >= 1, was "
                    + nativeKernelMinRows);
        }
    }
}
