package io.opentrackers.account;

/**
 * What the access token that authenticated a caller says about itself, kept by whoever holds on to the
 * authentication beyond the request (an open stream) so that {@link AccountService#endedAmong} can tell later whether
 * the token has been ended since.
 *
 * @param account     the token's account
 * @param id          its id ({@code jti}), by which {@link RevokedTokens} knows it; null for tokens issued before
 *                    tokens had one, which cannot be revoked alone
 * @param secretStamp the fingerprint of the secret it was issued for ({@link Account#secretStamp}); null for tokens
 *                    issued before tokens carried one, which a secret change does not end
 */
public record AccessToken(AccountId account, String id, String secretStamp) {

    /** Why a token accepted earlier would be refused now. */
    public enum Ended {
        /** Its id was revoked ({@code POST /oauth2/token:revoke}). */
        REVOKED,
        /** The account's secret changed after it was issued. */
        SECRET_CHANGED,
        /** Its account was deleted ({@code DELETE /admin/accounts/{appId}}). */
        ACCOUNT_DELETED
    }
}
