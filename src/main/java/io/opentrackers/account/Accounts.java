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

    /** The access token that authenticated the principal, as {@link AccountService#endedAmong} checks it later. */
    public static AccessToken accessToken(Principal principal) {
        AccountId account = of(principal);
        if (principal instanceof JwtAuthenticationToken token) {
            return new AccessToken(account, token.getToken().getId(),
                    token.getToken().getClaimAsString(Account.SECRET_STAMP_CLAIM));
        }
        return new AccessToken(account, null, null);
    }
}
