package io.opentrackers.account;

import static io.opentrackers.common.Settings.notNegative;
import static io.opentrackers.common.Settings.positive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

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
            // one of the two alone was ignored: the start logged "No default account configured", so a misspelt
            // TRACKERS_APP_SECRET left the operator with an account whose secret they did not know
            if (StringUtils.hasText(appId) != StringUtils.hasText(appSecret)) {
                String set = StringUtils.hasText(appId) ? "app-id" : "app-secret";
                String missing = StringUtils.hasText(appId) ? "app-secret" : "app-id";
                throw new IllegalArgumentException("trackers.bootstrap." + set + " (environment TRACKERS_"
                        + set.toUpperCase(Locale.ROOT).replace('-', '_') + ") is set but trackers.bootstrap."
                        + missing + " (TRACKERS_" + missing.toUpperCase(Locale.ROOT).replace('-', '_')
                        + ") is not: set both for the default account, or neither");
            }
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
            // checked when the key was made, after the database had started: a 113-line stack trace around the reason
            if (StringUtils.hasText(jwtSecret) && jwtSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
                throw new IllegalArgumentException("trackers.auth.jwt-secret must be at least 32 bytes long, was "
                        + jwtSecret.getBytes(StandardCharsets.UTF_8).length + " (leave it empty to have a key "
                        + "generated and kept in the database)");
            }
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
            // one setting and its value at a time: a single sentence naming all six left the operator to guess
            positive("trackers.auth.login.failures-per-app-id", failuresPerAppId);
            positive("trackers.auth.login.failures-per-address", failuresPerAddress);
            if (maxConcurrentChecks < 1) {
                throw new IllegalArgumentException("trackers.auth.login.max-concurrent-checks must not be negative "
                        + "(0: half the processors), was " + maxConcurrentChecks);
            }
            positive("trackers.auth.login.app-id-refill", appIdRefill);
            positive("trackers.auth.login.address-refill", addressRefill);
            notNegative("trackers.auth.login.check-wait", checkWait);
        }
    }
}
