package io.opentrackers.common;

import java.util.List;

/**
 * The request is well formed but cannot be done as asked, e.g. an {@code Idempotency-Key} sent before with another
 * request; maps to 422. {@code kind} becomes the last segment of the problem {@code type}.
 */
public class UnprocessableException extends RuntimeException {

    private final String kind;
    private final List<FieldViolation> violations;

    public UnprocessableException(String kind, String message, List<FieldViolation> violations) {
        super(message);
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    public String kind() {
        return kind;
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
