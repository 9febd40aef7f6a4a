package io.opentrackers.account;

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
 * authentication and then failed every request with a 500. One primary-key lookup per authenticated request.
 */
final class AccountSubjectValidator implements OAuth2TokenValidator<Jwt> {

    private static final OAuth2TokenValidatorResult NO_ACCOUNT = OAuth2TokenValidatorResult.failure(new OAuth2Error(
            OAuth2ErrorCodes.INVALID_TOKEN, "The token's subject is not an existing account", null));

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
        return accounts.exists(new AccountId(id)) ? OAuth2TokenValidatorResult.success() : NO_ACCOUNT;
    }
}
