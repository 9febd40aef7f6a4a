package io.opentrackers.common;

/** The request carries more than the service accepts in one call (413), naming what was too large. */
public class PayloadTooLargeException extends RuntimeException {

    private final FieldViolation violation;

    /** {@code messages: 1200 messages in one call, at most 1000 are accepted; …} */
    public PayloadTooLargeException(FieldViolation violation) {
        this(violation.describe(), violation);
    }

    /** @param detail the problem's detail, where it says more than the violation */
    public PayloadTooLargeException(String detail, FieldViolation violation) {
        super(detail);
        this.violation = violation;
    }

    public FieldViolation violation() {
        return violation;
    }
}
