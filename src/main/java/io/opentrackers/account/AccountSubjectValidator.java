package io.opentrackers.account;

import java.util.Optional;
import java.util.UUID;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A token is only as good as the account it names: its subject must be an account id (a UUID) of an account
 * that exists. A correctly signed token can still name none, when it was signed with a configured key against
 * another database, or when its subject was never an account; without this check such a token passed
 * authentication and then failed every request with a 500. And it must have been issued for the account's current
 * secret ({@link Account#secretStamp}): changing a leaked secret ends the tokens issued with it. And its id
 * ({@code jti}) must not have been revoked ({@code POST /oauth2/token:revoke}). One primary-key lookup per
 * authenticated request answers all three, against the database, so a revocation counts on every instance from the
 * next request on (docs/security.md, "Revoking one token").
 */
final class AccountSubjectValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2TokenValidatorResult NO_ACCOUNT = OAuth2TokenValidatorResult.failure(new OAuth2Error(
            OAuth2ErrorCodes.INVALID_TOKEN, "The token's subject is not an existing account", null));

    private static final OAuth2TokenValidatorResult OLD_SECRET = OAuth2TokenValidatorResult.failure(new OAuth2Error(
            OAuth2ErrorCodes.INVALID_TOKEN, "The token was issued before the account's secret changed; generate a "
            + "new one", null));

    static final String REVOKED_DESCRIPTION = "The access token was revoked; generate a new one at "
            + "/oauth2/token:generate";

    private static final OAuth2TokenValidatorResult REVOKED = OAuth2TokenValidatorResult.failure(new OAuth2Error(
            OAuth2ErrorCodes.INVALID_TOKEN, REVOKED_DESCRIPTION, null));

    private final AccountService accounts;

    AccountSubjectValidator(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        String subject = token.getSubject();
        if (subject == null) {
            return NO_ACCOUNT;
        }
        UUID id;
        try {
            id = UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            return NO_ACCOUNT;
        }
        Optional<AccountService.TokenCheck> check = accounts.checkToken(new AccountId(id), token.getId());
        if (check.isEmpty()) {
            return NO_ACCOUNT;
        }
        if (check.get().revoked()) {
            return REVOKED;
        }
        // tokens issued before tokens carried the stamp (2026-11-27) stay valid until they expire
        String issuedFor = token.getClaimAsString(Account.SECRET_STAMP_CLAIM);
        return issuedFor == null || issuedFor.equals(check.get().secretStamp()) ? OAuth2TokenValidatorResult.success()
                : OLD_SECRET;
    }
}
