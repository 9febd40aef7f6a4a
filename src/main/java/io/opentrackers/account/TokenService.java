package io.opentrackers.account;

import java.time.Instant;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Service;

/** Issues signed access tokens for accounts whose credentials check out. */
@Service
class TokenService {

    private final AccountService accountService;
    private final JwtEncoder jwtEncoder;
    private final AccountProperties properties;
    private final LoginThrottle throttle;

    TokenService(AccountService accountService, JwtEncoder jwtEncoder, AccountProperties properties,
            LoginThrottle throttle) {
        this.accountService = accountService;
        this.jwtEncoder = jwtEncoder;
        this.properties = properties;
        this.throttle = throttle;
    }

    record IssuedToken(String accessToken, long expiresIn) {
    }

    /**
     * @param clientAddress where the request came from; failed attempts are counted per address and per appId
     * @throws LoginThrottledException when too many attempts failed or the secret checks are all busy
     */
    IssuedToken issue(String appId, String appSecret, String clientAddress) {
        Account account = throttle.attempt(appId, clientAddress, () -> accountService.storedSecretOf(appId),
                        stored -> accountService.check(stored, appSecret))
                .orElseThrow(InvalidCredentialsException::new);
        Instant now = Instant.now();
        long ttl = properties.auth().tokenTtl().toSeconds();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(SecurityConfiguration.ISSUER)
                .subject(account.id().toString())
                // the token's own id, by which it alone can be revoked (TokenRevocation)
                .id(UUID.randomUUID().toString())
                .claim("appId", account.appId())
                .claim(Account.SECRET_STAMP_CLAIM, Account.secretStamp(account.secretHash()))
                .issuedAt(now)
                .expiresAt(now.plusSeconds(ttl))
                .build();
        String token = jwtEncoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        return new IssuedToken(token, ttl);
    }
}
