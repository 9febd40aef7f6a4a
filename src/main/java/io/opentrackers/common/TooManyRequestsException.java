package io.opentrackers.common;

import java.time.Duration;

/** A per-account concurrency limit is reached; the caller may retry later (429). */
public class TooManyRequestsException extends RuntimeException {

    private final Duration retryAfter;

    /** @param retryAfter when a retry may succeed, as well as the service can tell; sent as {@code Retry-After} */
    public TooManyRequestsException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
