package io.opentrackers.common;

/** The request clashes with the current state, e.g. a duplicate name or a full quota; maps to 409. */
public class ConflictException extends RuntimeException {

    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
