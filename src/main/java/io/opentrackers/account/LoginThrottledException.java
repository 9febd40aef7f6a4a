package io.opentrackers.account;

import java.time.Duration;

/** A login was refused before its secret was checked: too many failures, or every check slot busy (429). */
class LoginThrottledException extends RuntimeException {

    private final Duration retryAfter;

    LoginThrottledException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** When a new attempt may succeed; sent as {@code Retry-After} in whole seconds, rounded up. */
    Duration retryAfter() {
        return retryAfter;
    }
}
