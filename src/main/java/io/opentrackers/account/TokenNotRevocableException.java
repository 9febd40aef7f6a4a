package io.opentrackers.account;

import java.time.Instant;

/**
 * A live token of the caller's own account that has no id ({@code jti}): issued before tokens had one, it cannot be
 * revoked alone. Said to the caller (it is their own token) instead of a silent 200 that would leave them believing
 * it ended.
 */
class TokenNotRevocableException extends RuntimeException {

    TokenNotRevocableException(Instant expiresAt) {
        super("this token was issued before tokens had an id (jti) and cannot be revoked alone; it expires at "
                + expiresAt + "; until then only a new secret for the account or a new signing key ends it "
                + "(docs/security.md, \"Revoking one token\")");
    }
}
