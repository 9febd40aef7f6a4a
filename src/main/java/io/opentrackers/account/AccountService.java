package io.opentrackers.account;

import io.opentrackers.common.ConflictException;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.common.TextForms;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, lists, re-keys and deletes accounts and checks their credentials; only a BCrypt hash of each secret is
 * stored.
 */
@Service
public class AccountService {

    /** A BCrypt hash of nothing anyone knows, compared against when the app id is unknown (timing stays equal). */
    private static final String UNKNOWN_ACCOUNT_HASH = new BCryptPasswordEncoder().encode(UUID.randomUUID().toString());

    /** How often a delete that met concurrent writes of the account is tried again before it gives up. */
    static final int DELETE_ATTEMPTS = 5;

    private static final Logger log = LoggerFactory.getLogger(AccountService.class);

    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder = new BCryptPasswordEncoder();
    private final SecureRandom random = new SecureRandom();
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final ObjectProvider<AccountUsage> usages;

    AccountService(AccountRepository accounts, ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager, ObjectProvider<AccountUsage> usages) {
        this.accounts = accounts;
        this.events = events;
        this.transaction = new TransactionTemplate(transactionManager);
        this.usages = usages;
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

    /** What an operator sees of an account: never its secret nor the secret's hash. */
    public record AccountSummary(AccountId id, String appId, String name, Instant createdOn, Map<String, Long> counts) {
    }

    /** A page of {@link #list}; {@code next} is the {@code after} of the following page, null on the last one. */
    public record AccountPage(List<AccountSummary> accounts, String next) {
    }

    /** At most {@code limit} accounts in appId order, those after the appId {@code after} (null: from the first). */
    public AccountPage list(String after, int limit) {
        // one row more than the page tells whether another page follows
        List<Account> rows = accounts.page(after, limit + 1);
        List<Account> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        return new AccountPage(summaries(page), rows.size() > limit ? page.get(limit - 1).appId() : null);
    }

    /** The account {@code appId}; {@link NotFoundException} when there is none. */
    public AccountSummary get(String appId) {
        Account account = accounts.findByAppId(appId).orElseThrow(() -> unknown(appId));
        return summaries(List.of(account)).get(0);
    }

    private List<AccountSummary> summaries(List<Account> page) {
        List<AccountId> ids = page.stream().map(Account::id).toList();
        Map<String, Map<AccountId, Long>> figures = new TreeMap<>();
        if (!ids.isEmpty()) {
            usages.orderedStream().forEach(usage -> figures.put(usage.name(), usage.countsOf(ids)));
        }
        return page.stream().map(account -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            figures.forEach((name, byAccount) -> counts.put(name, byAccount.getOrDefault(account.id(), 0L)));
            return new AccountSummary(account.id(), account.appId(), account.name(), account.createdOn(), counts);
        }).toList();
    }

    /**
     * Gives the account {@code appId} a new secret: {@code appSecret}, or a generated one when it is null, under the
     * rules of {@link #create}. Tokens carry a fingerprint of the secret they were issued for ({@link
     * Account#secretStamp}), so every token issued before is refused from the next request on, on every instance, and
     * open streams opened with one are closed at their next check.
     *
     * @return the account's credentials; the secret is shown this once
     */
    public CreatedAccount rotateSecret(String appId, String appSecret) {
        List<FieldViolation> violations = new ArrayList<>();
        checkNotBlank("appSecret", appSecret, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        String secret = appSecret == null ? HexFormat.of().formatHex(randomBytes(32)) : appSecret;
        AccountRules.checkSecret(secret, true, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        Account account = accounts.findByAppId(appId).orElseThrow(() -> unknown(appId));
        if (!accounts.updateSecretHash(appId, passwordEncoder.encode(secret))) {
            throw unknown(appId); // deleted meanwhile
        }
        log.info("The secret of account '{}' ({}) was changed by the operator", appId, account.id());
        return new CreatedAccount(account.id(), appId, secret);
    }

    /**
     * Deletes the account {@code appId} with everything it owns, in one transaction: the features delete their rows
     * in it ({@link AccountDeleted}), then its revoked tokens and its row go. A process that dies midway leaves the
     * account whole. Work of the account going on meanwhile (a job storing hits, a conversation being created) can
     * make the final delete of the row fail on a row written after the features deleted theirs, or lose a deadlock;
     * then the whole delete rolls back and is tried again, up to {@value #DELETE_ATTEMPTS} times.
     *
     * @throws NotFoundException when there is no such account
     */
    public void delete(String appId) {
        for (int attempt = 1; ; attempt++) {
            try {
                AccountId deleted = transaction.execute(status -> {
                    Account account = accounts.lockForDeletion(appId).orElseThrow(() -> unknown(appId));
                    events.publishEvent(new AccountDeleted(account.id(), account.appId()));
                    accounts.delete(account.id());
                    return account.id();
                });
                log.info("Account '{}' ({}) deleted with all its data", appId, deleted);
                return;
            } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
                if (attempt >= DELETE_ATTEMPTS) {
                    throw e;
                }
                log.info("Deleting account '{}' met concurrent writes of its data (attempt {}); trying again", appId,
                        attempt, e);
            }
        }
    }

    private static NotFoundException unknown(String appId) {
        return new NotFoundException("No account with appId '" + appId + "'");
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
     * Which of these tokens, accepted earlier, {@link AccountSubjectValidator} would refuse now, and why: their account
     * was deleted, they were revoked, or issued for a secret the account no longer has. One statement for all of
     * them, so that an instance can check every open stream at once. Tokens without an id are never revoked and tokens without a stamp never outlived by
     * their secret, as on requests (docs/security.md, "Revoking one token").
     */
    public Map<AccessToken, AccessToken.Ended> endedAmong(Collection<AccessToken> tokens) {
        Set<String> ids = new HashSet<>();
        Set<AccountId> owners = new HashSet<>();
        for (AccessToken token : tokens) {
            if (token.id() != null) {
                ids.add(token.id());
            }
            owners.add(token.account());
        }
        if (owners.isEmpty()) {
            return Map.of();
        }
        AccountRepository.Standings standings = accounts.standings(ids, owners);
        Map<AccountId, String> currentStamps = new HashMap<>();
        standings.secretHashes().forEach((account, hash) -> currentStamps.put(account, Account.secretStamp(hash)));
        Map<AccessToken, AccessToken.Ended> ended = new HashMap<>();
        for (AccessToken token : tokens) {
            if (!currentStamps.containsKey(token.account())) {
                ended.put(token, AccessToken.Ended.ACCOUNT_DELETED);
            } else if (token.id() != null && standings.revoked().contains(token.id())) {
                ended.put(token, AccessToken.Ended.REVOKED);
            } else if (token.secretStamp() != null && currentStamps.containsKey(token.account())
                    && !token.secretStamp().equals(currentStamps.get(token.account()))) {
                ended.put(token, AccessToken.Ended.SECRET_CHANGED);
            }
        }
        return ended;
    }

    /**
     * What a secret given for {@code appId} is compared with: the account's hash, or, when no account has that appId,
     * a hash no secret matches, so that an unknown appId costs the same BCrypt comparison as a known one and timing
     * tells nobody which appIds exist. Reads the database and compares nothing: a login looks its account up before
     * it takes one of the few secret-check slots, so that a database out of reach never holds a slot (LoginThrottle).
     */
    StoredSecret storedSecretOf(String appId) {
        Optional<Account> account = appId == null ? Optional.empty() : accounts.findByAppId(appId);
        return new StoredSecret(account, account.map(Account::secretHash).orElse(UNKNOWN_ACCOUNT_HASH));
    }

    /** The account whose secret {@code appSecret} is, if it is: one BCrypt comparison, no database. */
    Optional<Account> check(StoredSecret stored, String appSecret) {
        if (appSecret == null) {
            return Optional.empty();
        }
        return passwordEncoder.matches(appSecret, stored.hash()) ? stored.account() : Optional.empty();
    }

    /** An account (none when the appId is unknown) and the hash a secret given for it is compared with. */
    record StoredSecret(Optional<Account> account, String hash) {
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
