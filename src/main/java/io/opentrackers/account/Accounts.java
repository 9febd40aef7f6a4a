package io.opentrackers.account;

import java.security.Principal;

/** Public entry point for other features that need the account of a principal (e.g. WebSocket sessions). */
public final class Accounts {

    private Accounts() {
    }

    public static AccountId of(Principal principal) {
        return AccountIdArgumentResolver.fromPrincipal(principal);
    }
}
