package io.opentrackers.account;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.StorableText;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rules for account credentials and names, the same when an operator creates an account and when a client
 * asks for a token: each violation names its field, and nothing that breaks them reaches the database or BCrypt.
 */
final class AccountRules {

    /** {@code account.app_id} is a {@code varchar(128)}. */
    static final int MAX_APP_ID = 128;
    /** {@code account.name} is a {@code varchar(200)}. */
    static final int MAX_NAME = 200;
    static final int MIN_SECRET = 8;
    /**
     * BCrypt reads at most 72 bytes of a secret; Spring Security refuses longer ones rather than silently ignoring
     * the rest, so a longer secret could never be hashed, nor ever match.
     */
    static final int MAX_SECRET_BYTES = 72;

    private AccountRules() {
    }

    static void checkAppId(String appId, List<FieldViolation> violations) {
        if (appId.length() > MAX_APP_ID) {
            violations.add(FieldViolation.of("appId", "must be at most " + MAX_APP_ID + " characters, has "
                    + appId.length()));
        } else {
            StorableText.check("appId", appId, violations);
        }
    }

    /** The secret's length bounds; it is hashed, never stored, but a mangled surrogate would hash as '?'. */
    static void checkSecret(String secret, boolean creating, List<FieldViolation> violations) {
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (creating && secret.length() < MIN_SECRET) {
            violations.add(FieldViolation.of("appSecret", "must be at least " + MIN_SECRET + " characters"));
        } else if (bytes > MAX_SECRET_BYTES) {
            violations.add(FieldViolation.of("appSecret", "must be at most " + MAX_SECRET_BYTES
                    + " bytes in UTF-8 (the limit of BCrypt), has " + bytes));
        } else {
            StorableText.check("appSecret", secret, violations);
        }
    }

    static void checkName(String name, List<FieldViolation> violations) {
        if (name.length() > MAX_NAME) {
            violations.add(FieldViolation.of("name", "must be at most " + MAX_NAME + " characters, has "
                    + name.length()));
        } else {
            StorableText.check("name", name, violations);
        }
    }
}
