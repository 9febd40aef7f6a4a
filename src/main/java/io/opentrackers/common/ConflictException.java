package io.opentrackers.common;

import java.util.List;

/**
 * The request clashes with the current state, e.g. a duplicate name or a full quota; maps to 409.
 * {@code kind} becomes the last segment of the problem {@code type} so clients can tell conflicts apart.
 */
public class ConflictException extends RuntimeException {

    private final String kind;
    private final List<FieldViolation> violations;

    public ConflictException(String field, String message) {
        this("conflict", message, field == null ? List.of() : List.of(FieldViolation.of(field, message)));
    }

    public ConflictException(String kind, String message, List<FieldViolation> violations) {
        super(message);
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    /** The first violation's field, or null when the conflict is not about one field. */
    public String field() {
        return violations.isEmpty() ? null : violations.get(0).field();
    }

    public String kind() {
        return kind;
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
