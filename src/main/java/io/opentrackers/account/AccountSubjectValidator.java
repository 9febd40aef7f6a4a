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
 * secret ({@link Account#secretStamp}): changing a leaked secret ends the tokens issued with it. One primary-key
 * lookup per authenticated request.
 */
final class AccountSubjectValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2TokenValidatorResult NO_ACCOUNT = OAuth2TokenValidatorResult.failure(new OAuth2Error(
            OAuth2ErrorCodes.INVALID_TOKEN, "The token's subject is not an existing account", null));

    private static final OAuth2TokenValidatorResult OLD_SECRET = OAuth2TokenValidatorResult.failure(new OAuth2Error(
            OAuth2ErrorCodes.INVALID_TOKEN, "The token was issued before the account's secret changed; generate a "
            + "new one", null));

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
        Optional<String> stamp = accounts.secretStamp(new AccountId(id));
        if (stamp.isEmpty()) {
            return NO_ACCOUNT;
        }
        // tokens issued before tokens carried the stamp (2026-11-27) stay valid until they expire
        String issuedFor = token.getClaimAsString(Account.SECRET_STAMP_CLAIM);
        return issuedFor == null || issuedFor.equals(stamp.get()) ? OAuth2TokenValidatorResult.success()
                : OLD_SECRET;
    }
}
