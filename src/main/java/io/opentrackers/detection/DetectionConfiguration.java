package io.opentrackers.detection;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.matching.SimilarityKernel;
import io.opentrackers.matching.VocabularyIndex;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The detector's shared pieces that are not components of their own. */
@Configuration(proxyBeanMethods = false)
class DetectionConfiguration {

    @Bean
    IndexCache indexCache(VocabularyVectors vectors, SimilarityKernel kernel, MatchingProperties properties,
            MeterRegistry meters) {
        return new IndexCache(trackers -> new VocabularyIndex(vectors.of(trackers), kernel),
                properties.indexCachePhrases(), meters);
    }
}
