package io.opentrackers.account;

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
        auth = auth == null ? new Auth(null, null) : auth;
    }

    public record Bootstrap(String appId, String appSecret, Boolean firstRun) {
        public Bootstrap {
            firstRun = firstRun == null || firstRun;
        }
    }

    public record Admin(String operatorKey) {
    }

    public record Auth(Duration tokenTtl, String jwtSecret) {
        public Auth {
            tokenTtl = tokenTtl == null ? Duration.ofSeconds(86400) : tokenTtl;
        }
    }
}
