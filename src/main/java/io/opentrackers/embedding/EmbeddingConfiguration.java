package io.opentrackers.embedding;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the configured model once per application; every feature shares the one session. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmbeddingProperties.class)
class EmbeddingConfiguration {

    @Bean(destroyMethod = "close")
    OnnxEmbeddingModel embeddingModel(EmbeddingProperties properties, MeterRegistry meters) {
        OnnxEmbeddingModel model = properties.load();
        Timer runs = Timer.builder("trackers.embedding.run").description("One ONNX Runtime run of the embedding model")
                .tag("model", model.descriptor().id()).publishPercentileHistogram().register(meters);
        DistributionSummary texts = DistributionSummary.builder("trackers.embedding.run.texts")
                .description("Texts per model run").tag("model", model.descriptor().id()).register(meters);
        model.observeRuns((count, tokens, nanos) -> {
            runs.record(nanos, TimeUnit.NANOSECONDS);
            texts.record(count);
        });
        return model;
    }

    /** What the loaded model is: pooling, prefix, and the matching policy values it was calibrated with. */
    /**
     * The model this instance runs, on {@code /actuator/info}: an operator who changed {@code trackers.embedding.*}
     * (or rolls instances from one model folder to another) sees which model each instance answers with, and the id
     * its stored vectors are kept under. No path: the info endpoint is open to every caller.
     */
    @Bean
    InfoContributor modelInfo(OnnxEmbeddingModel model, EmbeddingProperties properties) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("id", model.descriptor().id());
        described.put("vectorsId", model.id());
        described.put("source", properties.modelDir() == null ? "bundled" : "model folder");
        described.put("dimension", model.dimension());
        described.put("pooling", model.descriptor().pooling().name().toLowerCase(Locale.ROOT));
        described.put("maxTokens", model.descriptor().maxTokens());
        described.put("textsPerRun", model.batchTexts());
        Map<String, Object> info = Collections.unmodifiableMap(described);
        return builder -> builder.withDetail("model", info);
    }

    @Bean
    ModelDescriptor modelDescriptor(OnnxEmbeddingModel model) {
        return model.descriptor();
    }

    /** Takes the model so that the model, which points ONNX Runtime at the work directory, loads it first. */
    @Bean
    OnnxSimilarityKernel similarityKernel(OnnxEmbeddingModel model, EmbeddingProperties properties) {
        return new OnnxSimilarityKernel(properties.nativeKernelMinRows());
    }
}
