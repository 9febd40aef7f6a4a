package io.opentrackers.account;

import java.security.Principal;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Public entry point for other features that need the account of a principal (e.g. WebSocket sessions). */
public final class Accounts {

    private Accounts() {
    }

    public static AccountId of(Principal principal) {
        return AccountIdArgumentResolver.fromPrincipal(principal);
    }

    /**
     * The id ({@code jti}) of the access token that authenticated the principal, by which {@link RevokedTokens} knows
     * it; null for tokens issued before tokens had one, which cannot be revoked alone.
     */
    public static String tokenId(Principal principal) {
        return principal instanceof JwtAuthenticationToken token ? token.getToken().getId() : null;
    }
}
