package io.opentrackers.account;

import static io.opentrackers.common.Settings.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param bootstrap   the default account created at start-up when both its app id and secret are set; without
 *                    them, and when {@code first-run} is on, a first start on an empty database creates the account
 *                    {@code demo} with a generated secret and prints how to use it
 * @param operatorKey the key that guards {@code POST /admin/accounts}; the admin API is off when it is blank
 * @param tokenTtl    lifetime of issued access tokens ({@code expiresIn})
 * @param jwtSecret   HMAC key (at least 32 characters) signing tokens; when blank a random key is generated once
 *                    and kept in the database, so tokens stay valid across restarts and instances
 */
@ConfigurationProperties("trackers")
public record AccountProperties(Bootstrap bootstrap, Admin admin, Auth auth) {

    public AccountProperties {
        bootstrap = bootstrap == null ? new Bootstrap(null, null, null) : bootstrap;
        admin = admin == null ? new Admin(null) : admin;
        auth = auth == null ? new Auth(null, null, null, null) : auth;
    }

    public record Bootstrap(String appId, String appSecret, Boolean firstRun) {
        public Bootstrap {
            firstRun = firstRun == null || firstRun;
        }
    }

    public record Admin(String operatorKey) {
    }

    /**
     * @param revokedPurgeInterval how often the revocations of tokens that have expired since are deleted
     *                             ({@link RevokedTokenPurge}); a revoked token's row is needed only until its exp
     */
    public record Auth(Duration tokenTtl, String jwtSecret, Login login, Duration revokedPurgeInterval) {
        public Auth {
            tokenTtl = tokenTtl == null ? Duration.ofSeconds(86400) : tokenTtl;
            login = login == null ? new Login(null, null, null, null, null, null) : login;
            revokedPurgeInterval = revokedPurgeInterval == null ? Duration.ofHours(1) : revokedPurgeInterval;
            // a lifetime of 0 or less started a service that issued tokens already expired: every call got 401
            positive("trackers.auth.token-ttl", tokenTtl);
            positive("trackers.auth.revoked-purge-interval", revokedPurgeInterval);
        }
    }

    /**
     * Throttling of {@code POST /oauth2/token:generate} ({@code trackers.auth.login.*}, {@link LoginThrottle}).
     *
     * @param failuresPerAppId    attempts one appId may fail in a row before it is throttled (the bucket's size)
     * @param appIdRefill         time after which one more attempt of that appId is allowed
     * @param failuresPerAddress  attempts one client address may fail in a row before it is throttled
     * @param addressRefill       time after which one more attempt from that address is allowed
     * @param maxConcurrentChecks secret checks (BCrypt) run at once by this instance; 0 = half the processors, at
     *                            least one, so that logins can never take every core
     * @param checkWait           how long a login waits for a free check before it is answered 429
     */
    public record Login(Integer failuresPerAppId, Duration appIdRefill, Integer failuresPerAddress,
            Duration addressRefill, Integer maxConcurrentChecks, Duration checkWait) {
        public Login {
            failuresPerAppId = failuresPerAppId == null ? 10 : failuresPerAppId;
            appIdRefill = appIdRefill == null ? Duration.ofSeconds(10) : appIdRefill;
            failuresPerAddress = failuresPerAddress == null ? 50 : failuresPerAddress;
            addressRefill = addressRefill == null ? Duration.ofSeconds(1) : addressRefill;
            maxConcurrentChecks = maxConcurrentChecks == null || maxConcurrentChecks == 0
                    ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : maxConcurrentChecks;
            checkWait = checkWait == null ? Duration.ofSeconds(2) : checkWait;
            if (failuresPerAppId < 1 || failuresPerAddress < 1 || maxConcurrentChecks < 1
                    || appIdRefill.isZero() || appIdRefill.isNegative() || addressRefill.isZero()
                    || addressRefill.isNegative() || checkWait.isNegative()) {
                throw new IllegalArgumentException("trackers.auth.login: failures-per-app-id, failures-per-address, "
                        + "app-id-refill, address-refill and max-concurrent-checks must be positive, check-wait not "
                        + "negative");
            }
        }
    }
}
