package io.opentrackers.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Service;

/**
 * Single access tokens ended before their {@code exp}, kept in the database by the token's id ({@code jti}) so that
 * every instance sharing it refuses them: authenticated requests and WebSocket handshakes through
 * {@link AccountSubjectValidator}'s lookup, open streams through {@link AccountService#endedAmong}. A row is kept
 * until the token expires, then purged ({@link RevokedTokenPurge}).
 */
@Service
public class RevokedTokens {

    private static final Logger log = LoggerFactory.getLogger(RevokedTokens.class);

    private final JdbcClient jdbc;
    private final NimbusJwtDecoder signatureOnly;
    private final Clock clock = Clock.systemUTC();

    RevokedTokens(JdbcClient jdbc, SecretKey tokenSigningKey) {
        this.jdbc = jdbc;
        // Only the signature and the issuer: an expired token, or one of an account whose secret changed, is
        // recognised as this service's token (and then needs no revocation) instead of being an unknown string.
        this.signatureOnly = NimbusJwtDecoder.withSecretKey(tokenSigningKey).macAlgorithm(MacAlgorithm.HS256).build();
        this.signatureOnly.setJwtValidator(new JwtIssuerValidator(SecurityConfiguration.ISSUER));
    }

    /**
     * Revokes {@code token} if it is a token of the caller's account that has not expired yet. Anything else (not a
     * token this service signed, another account's token, an expired or already revoked one) changes nothing and is
     * not told apart, as RFC 7009 has it: the caller learns nothing about tokens that are not its own.
     *
     * @throws TokenNotRevocableException for a live token of the caller's account issued before tokens had ids
     */
    void revoke(AccountId caller, String token) {
        Jwt jwt;
        try {
            jwt = signatureOnly.decode(token);
        } catch (JwtException e) {
            return;
        }
        Instant expiresAt = jwt.getExpiresAt();
        if (!caller.toString().equals(jwt.getSubject()) || expiresAt == null || !expiresAt.isAfter(clock.instant())) {
            return;
        }
        if (jwt.getId() == null) {
            throw new TokenNotRevocableException(expiresAt);
        }
        int stored = jdbc.sql("""
                        insert into revoked_token (token_id, account_id, expires_at) values (?, ?, ?)
                        on conflict (token_id) do nothing""")
                .params(jwt.getId(), caller.value(), Timestamp.from(expiresAt)).update();
        if (stored == 1) {
            log.info("Access token {} revoked; it would have expired at {}", jwt.getId(), expiresAt);
        }
    }

    /** Deletes the rows of tokens that have expired (their signature check refuses them by now); returns how many. */
    int purgeExpired() {
        return jdbc.sql("delete from revoked_token where expires_at < now()").update();
    }
}
