package io.opentrackers.job;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.IdempotencyHeaders;
import java.util.List;

/**
 * A submit or append sent with an {@code Idempotency-Key} header (the IETF HTTPAPI draft "The Idempotency-Key HTTP
 * Header Field"): the key, and a fingerprint of what the request asked for, which tells a retry of the same request
 * from another request that reuses the key.
 */
record IdempotentRequest(String key, byte[] fingerprint) {

    static final String HEADER = IdempotencyHeaders.KEY;
    static final int MAX_LENGTH = 255;

    /** The job an earlier request with the key created. */
    record Earlier(String jobId, String conversationId, byte[] fingerprint) {
    }

    /**
     * The key of the header, or null without one. The draft writes it as a structured-field string
     * ({@code "8e03978e-…"}); most clients send it bare, as Stripe's API takes it: both are the same key. A key that
     * cannot be one is added to {@code violations}, named by the header.
     */
    static String key(String header, List<FieldViolation> violations) {
        if (header == null) {
            return null;
        }
        String key = header.strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        boolean printable = key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
        // the header given twice reaches here as its values joined by commas; a quote left is a quoted key cut short
        if (key.indexOf(',') >= 0 || key.indexOf('"') >= 0) {
            violations.add(FieldViolation.of(HEADER, "must be one key, given once, without commas or quotes inside "
                    + "(a UUID made for the request, for example)"));
            return null;
        }
        if (key.isBlank() || key.length() > MAX_LENGTH || !printable) {
            violations.add(FieldViolation.of(HEADER, "must be 1 to " + MAX_LENGTH + " printable ASCII characters "
                    + "(a UUID made for the request, for example), was " + (key.isBlank() ? "empty"
                    : key.length() > MAX_LENGTH ? key.length() + " characters" : "a text with other characters")));
            return null;
        }
        return key;
    }
}
