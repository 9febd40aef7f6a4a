package io.opentrackers.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.stereotype.Component;

/**
 * The operator's key ({@code trackers.admin.operator-key}, sent as {@code X-Operator-Key}): it guards what only the
 * operator may do, creating accounts and reading the service's metrics. No key configured: nobody may.
 */
@Component
class OperatorKey {

    static final String HEADER = "X-Operator-Key";

    enum Check { DISABLED, REFUSED, ACCEPTED }

    private final byte[] expected;

    OperatorKey(AccountProperties properties) {
        String key = properties.admin().operatorKey();
        this.expected = key == null || key.isBlank() ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    Check check(String presented) {
        if (expected == null) {
            return Check.DISABLED;
        }
        // constant time: the comparison must not tell how much of a guessed key was right
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
                ? Check.ACCEPTED : Check.REFUSED;
    }
}
