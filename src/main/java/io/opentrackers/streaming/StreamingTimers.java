package io.opentrackers.streaming;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The streaming stage timers (docs/streaming.md lists them), all with the same published percentiles. */
final class StreamingTimers {

    private StreamingTimers() {
    }

    static Timer register(MeterRegistry meters, String name, String description) {
        return Timer.builder(name).description(description).publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram().register(meters);
    }
}
