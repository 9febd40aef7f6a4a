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
    private final LoginThrottle throttle;

    OperatorKey(AccountProperties properties, LoginThrottle throttle) {
        String key = properties.admin().operatorKey();
        this.expected = key == null || key.isBlank() ? null : key.getBytes(StandardCharsets.UTF_8);
        this.throttle = throttle;
    }

    /**
     * @param address the client's address: a wrong key counts as a failed login from it ({@link LoginThrottle}); a
     *                request without the header guesses nothing and is not counted
     * @throws LoginThrottledException when the address has failed too often; the key is then not compared
     */
    Check check(String presented, String address) {
        if (expected == null) {
            return Check.DISABLED;
        }
        if (presented == null) {
            return Check.REFUSED;
        }
        // constant time: the comparison must not tell how much of a guessed key was right
        return throttle.attemptFromAddress(address,
                () -> MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8)))
                ? Check.ACCEPTED : Check.REFUSED;
    }
}
