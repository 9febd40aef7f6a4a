package io.opentrackers.job;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each account's webhook signing secret, created on first use. The secret is a symmetric key: the service needs it in
 * clear to sign, and the account reads it ({@code GET /v1/webhook-secret}) to verify, so it is stored as it is, like
 * the token signing key. It is random per account rather than derived from a service key, so that it can be handed
 * out without exposing anything about other accounts' secrets, and does not change when the service's keys do.
 */
@Repository
class WebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    WebhookSecrets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account's secret; concurrent first calls agree on one (the primary key keeps the first insert). */
    String secretOf(UUID account) {
        jdbc.sql("""
                insert into webhook_secret (account_id, secret, created_on) values (:account, :secret, now())
                on conflict (account_id) do nothing""")
                .param("account", account).param("secret", newSecret()).update();
        return jdbc.sql("select secret from webhook_secret where account_id = :account")
                .param("account", account).query(String.class).single();
    }

    /** 256 random bits, URL-safe; the prefix tells a reader of a leaked string what it is. */
    private static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
