package io.opentrackers.common;

/**
 * The headers of a request sent again after its answer was lost (the IETF HTTPAPI draft "The Idempotency-Key HTTP
 * Header Field"): read by the Async API's submits and appends (job/IdempotentRequest), allowed and exposed to browser
 * pages of other origins (web/CrossOriginFilter).
 */
public final class IdempotencyHeaders {

    /** The client's key for one request; a retry sends the same. */
    public static final String KEY = "Idempotency-Key";
    /** {@code true} on the answer of a retry: the first request's answer, nothing new done. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private IdempotencyHeaders() {
    }
}
