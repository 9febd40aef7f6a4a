package io.opentrackers.common;

/** A per-account concurrency limit is reached; the caller may retry later (429). */
public class TooManyRequestsException extends RuntimeException {

    public TooManyRequestsException(String message) {
        super(message);
    }
}
