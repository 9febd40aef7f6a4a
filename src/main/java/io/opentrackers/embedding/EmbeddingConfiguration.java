package io.opentrackers.embedding;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the configured model once per application; every feature shares the one session. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmbeddingProperties.class)
class EmbeddingConfiguration {

    @Bean(destroyMethod = "close")
    OnnxEmbeddingModel embeddingModel(EmbeddingProperties properties) {
        return new OnnxEmbeddingModel(ModelSpec.byId(properties.model()), properties.workDir(),
                properties.maxBatchSize(), properties.sortByLength(), properties.intraOpThreads());
    }

    /** Takes the model so that the model, which points ONNX Runtime at the work directory, loads it first. */
    @Bean
    OnnxSimilarityKernel similarityKernel(OnnxEmbeddingModel model, EmbeddingProperties properties) {
        return new OnnxSimilarityKernel(properties.nativeKernelMinRows());
    }
}
