package io.opentrackers.common;

/** The addressed resource does not exist for the caller's account (foreign ids look exactly like unknown ones). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
