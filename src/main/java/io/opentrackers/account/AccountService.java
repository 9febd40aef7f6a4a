package io.opentrackers.account;

import io.opentrackers.common.ConflictException;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.TextForms;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Creates accounts and checks their credentials; only a BCrypt hash of each secret is stored. */
@Service
public class AccountService {

    /** A BCrypt hash of nothing anyone knows, compared against when the app id is unknown (timing stays equal). */
    private static final String UNKNOWN_ACCOUNT_HASH = new BCryptPasswordEncoder().encode(UUID.randomUUID().toString());

    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder = new BCryptPasswordEncoder();
    private final SecureRandom random = new SecureRandom();

    AccountService(AccountRepository accounts) {
        this.accounts = accounts;
    }

    /** The created account's credentials; the secret is shown this once and never again. */
    public record CreatedAccount(AccountId id, String appId, String appSecret) {
    }

    /**
     * Creates an account. A missing (null) appId or secret is generated; a given one must have something visible
     * in it: a blank one is a typing mistake, and generating a value instead would hand the operator credentials
     * other than those typed. The appId is stored trimmed ({@link TextForms#trim}), the secret as given.
     */
    public CreatedAccount create(String appId, String appSecret, String name) {
        List<FieldViolation> violations = new ArrayList<>();
        checkNotBlank("appId", appId, violations);
        checkNotBlank("appSecret", appSecret, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        String id = appId == null ? HexFormat.of().formatHex(randomBytes(16)) : TextForms.trim(appId);
        String secret = appSecret == null ? HexFormat.of().formatHex(randomBytes(32)) : appSecret;
        String accountName = name == null ? id : name;
        AccountRules.checkAppId(id, violations);
        AccountRules.checkSecret(secret, true, violations);
        AccountRules.checkName(accountName, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        Account account = new Account(new AccountId(UUID.randomUUID()), id, passwordEncoder.encode(secret),
                accountName, Instant.now());
        if (!accounts.insert(account)) {
            throw new ConflictException("appId", "An account with appId '" + id + "' already exists");
        }
        return new CreatedAccount(account.id(), id, secret);
    }

    private static void checkNotBlank(String field, String value, List<FieldViolation> violations) {
        if (TextForms.isBlank(value)) {
            violations.add(FieldViolation.of(field, "must not be blank; leave it out to have one generated"));
        }
    }

    /** Creates the account, or resets its secret when it exists: the configuration is the truth for it. */
    void ensure(String appId, String appSecret) {
        Optional<Account> existing = accounts.findByAppId(appId);
        if (existing.isEmpty()) {
            create(appId, appSecret, "default");
        } else if (!passwordEncoder.matches(appSecret, existing.get().secretHash())) {
            accounts.updateSecretHash(existing.get().id(), passwordEncoder.encode(appSecret));
        }
    }

    /** Whether any account exists: a service that has none cannot be called by anyone. */
    boolean anyAccount() {
        return accounts.any();
    }

    /**
     * What authenticating a token needs to know, if its account exists: the fingerprint of the account's current
     * secret ({@link Account#secretStamp}) and whether the token's id ({@code jti}, null for old tokens) was revoked.
     */
    Optional<TokenCheck> checkToken(AccountId id, String tokenId) {
        return accounts.tokenStanding(id, tokenId)
                .map(standing -> new TokenCheck(Account.secretStamp(standing.secretHash()), standing.revoked()));
    }

    record TokenCheck(String secretStamp, boolean revoked) {
    }

    /**
     * Which of these tokens, accepted earlier, {@link AccountSubjectValidator} would refuse now, and why: revoked, or
     * issued for a secret the account no longer has. One statement for all of them, so that an instance can check
     * every open stream at once. Tokens without an id are never revoked and tokens without a stamp never outlived by
     * their secret, as on requests (docs/security.md, "Revoking one token").
     */
    public Map<AccessToken, AccessToken.Ended> endedAmong(Collection<AccessToken> tokens) {
        Set<String> ids = new HashSet<>();
        Set<AccountId> stamped = new HashSet<>();
        for (AccessToken token : tokens) {
            if (token.id() != null) {
                ids.add(token.id());
            }
            if (token.secretStamp() != null) {
                stamped.add(token.account());
            }
        }
        if (ids.isEmpty() && stamped.isEmpty()) {
            return Map.of();
        }
        AccountRepository.Standings standings = accounts.standings(ids, stamped);
        Map<AccountId, String> currentStamps = new HashMap<>();
        standings.secretHashes().forEach((account, hash) -> currentStamps.put(account, Account.secretStamp(hash)));
        Map<AccessToken, AccessToken.Ended> ended = new HashMap<>();
        for (AccessToken token : tokens) {
            if (token.id() != null && standings.revoked().contains(token.id())) {
                ended.put(token, AccessToken.Ended.REVOKED);
            } else if (token.secretStamp() != null && currentStamps.containsKey(token.account())
                    && !token.secretStamp().equals(currentStamps.get(token.account()))) {
                ended.put(token, AccessToken.Ended.SECRET_CHANGED);
            }
        }
        return ended;
    }

    /** The account whose credentials these are, if they are right. */
    Optional<Account> authenticate(String appId, String appSecret) {
        if (appId == null || appSecret == null) {
            return Optional.empty();
        }
        Optional<Account> account = accounts.findByAppId(appId);
        String hash = account.map(Account::secretHash).orElse(UNKNOWN_ACCOUNT_HASH);
        boolean matches = passwordEncoder.matches(appSecret, hash);
        return matches ? account : Optional.empty();
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
