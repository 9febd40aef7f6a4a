package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookBackoffTest {

    private final WebhookDispatcher dispatcher = new WebhookDispatcher(null, null, null, null,
            new JobProperties(2, 5, 100, 500, 64, Duration.ofSeconds(30), Duration.ofMillis(500), 3, Duration.ofSeconds(10),
                    new JobProperties.Webhook(Duration.ofSeconds(5), 20, Duration.ofSeconds(1), Duration.ofMinutes(1),
                            Duration.ofMillis(500), 4, List.of())));

    @Test
    void waitsDoubleAfterEachFailureUpToTheCapAndJitterTakesAtMostHalf() {
        assertThat(dispatcher.backoff(1, 0)).isEqualTo(Duration.ofMillis(500));
        assertThat(dispatcher.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(750));
        assertThat(dispatcher.backoff(2, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(dispatcher.backoff(5, 0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(dispatcher.backoff(5, 0.999)).isLessThan(Duration.ofSeconds(16)).isGreaterThan(Duration.ofSeconds(15));
        assertThat(dispatcher.backoff(7, 0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(dispatcher.backoff(40, 0.999)).isLessThan(Duration.ofMinutes(1));
        assertThat(dispatcher.backoff(40, 0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterSpreadsRetriesOverTheUpperHalf() {
        List<Duration> waits = java.util.stream.IntStream.range(0, 200).mapToObj(i -> dispatcher.backoff(3)).toList();
        assertThat(waits).allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4)));
        // 200 draws from [2 s, 4 s): far more than a handful of distinct values unless the jitter is gone
        assertThat(waits.stream().distinct().count()).isGreaterThan(100);
    }

    /** An abandoned notification is logged with its destination's origin only: no credential in a path or query. */
    @Test
    void theLogNamesAWebhooksOriginWithoutItsPathOrQuery() {
        assertThat(WebhookDispatcher.originOf("https://hooks.slack.com/services/T0001/B0001/XXXXSECRETXXXX"))
                .isEqualTo("https://hooks.slack.com");
        assertThat(WebhookDispatcher.originOf("http://receiver.example.com:8443/hook?token=abc123#x"))
                .isEqualTo("http://receiver.example.com:8443");
        assertThat(WebhookDispatcher.originOf("not a url")).doesNotContain("not a url");
    }
}
