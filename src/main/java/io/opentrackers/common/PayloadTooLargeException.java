package io.opentrackers.common;

/** The request carries more than the service accepts in one call (413). */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
