package io.opentrackers.account;

/** appId/appSecret do not name an account; answered with 401. */
class InvalidCredentialsException extends RuntimeException {

    InvalidCredentialsException() {
        super("Invalid appId or appSecret");
    }
}
