package io.opentrackers.streaming;

import io.opentrackers.job.LiteralTrackerDetector;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Protocol tests assert exact hits, so they use the deterministic literal-phrase detector (score 1.0, offset =
 * position of the phrase) in place of the embedding engine; trackers come from the real tracker store.
 */
@TestConfiguration(proxyBeanMethods = false)
class LiteralMatchingConfiguration {

    @Bean
    @Primary
    LiteralTrackerDetector literalTrackerDetector() {
        return new LiteralTrackerDetector();
    }
}
