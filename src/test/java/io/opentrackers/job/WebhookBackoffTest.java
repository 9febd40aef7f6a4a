package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookBackoffTest {

    @Test
    void waitsDoubleAfterEachFailureUpToTheCap() {
        JobProperties properties = new JobProperties(2, 5, 100, 64, Duration.ofSeconds(30), Duration.ofMillis(500), 3,
                Duration.ofSeconds(10),
                new JobProperties.Webhook(Duration.ofSeconds(5), 20, Duration.ofSeconds(1), Duration.ofMinutes(1),
                        Duration.ofMillis(500)));
        WebhookDispatcher dispatcher = new WebhookDispatcher(null, properties);
        assertThat(dispatcher.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(dispatcher.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(dispatcher.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(dispatcher.backoff(7)).isEqualTo(Duration.ofMinutes(1));
        assertThat(dispatcher.backoff(40)).isEqualTo(Duration.ofMinutes(1));
    }
}
