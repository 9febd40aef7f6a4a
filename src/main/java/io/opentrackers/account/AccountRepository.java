package io.opentrackers.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AccountRepository {

    private final JdbcClient jdbc;

    AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Account> findByAppId(String appId) {
        return jdbc.sql("select id, app_id, secret_hash, name, created_on from account where app_id = ?")
                .param(appId)
                .query(AccountRepository::map)
                .optional();
    }

    /** What a token's account and id say about it: the account's secret hash and whether its id was revoked. */
    record TokenStanding(String secretHash, boolean revoked) {
    }

    /**
     * The account's secret hash and whether {@code tokenId} is revoked, if the account exists: one statement, so that
     * checking revocation costs authenticated requests no round trip of its own (docs/security.md, "Revoking one
     * token"). A null {@code tokenId} (tokens issued before tokens had one) is never revoked.
     */
    Optional<TokenStanding> tokenStanding(AccountId id, String tokenId) {
        return jdbc.sql("""
                        select secret_hash, exists (select 1 from revoked_token where token_id = ?) as revoked
                          from account where id = ?""")
                .params(tokenId == null ? "" : tokenId, id.value())
                .query((rs, row) -> new TokenStanding(rs.getString("secret_hash"), rs.getBoolean("revoked")))
                .optional();
    }

    /** Of some token ids the revoked ones, and of some accounts their secret hashes. */
    record Standings(Set<String> revoked, Map<AccountId, String> secretHashes) {
    }

    /**
     * The batch form of {@link #tokenStanding}: which of {@code tokenIds} are revoked and the secret hashes of
     * {@code accounts} (of those that exist), in one statement, for all the open streams of an instance at once.
     */
    Standings standings(Collection<String> tokenIds, Collection<AccountId> accounts) {
        Set<String> revoked = new HashSet<>();
        Map<AccountId, String> secretHashes = new HashMap<>();
        jdbc.sql("""
                        select token_id, null as account_id, null as secret_hash
                          from revoked_token where token_id = any(?)
                        union all
                        select null, id, secret_hash from account where id = any(?)""")
                // the ids as uuid[]: as text[] cast in the statement the check cost several times as much (security.md)
                .params(tokenIds.toArray(String[]::new),
                        accounts.stream().map(AccountId::value).toArray(UUID[]::new))
                .query(rs -> {
                    String tokenId = rs.getString("token_id");
                    if (tokenId != null) {
                        revoked.add(tokenId);
                    } else {
                        secretHashes.put(new AccountId(rs.getObject("account_id", UUID.class)),
                                rs.getString("secret_hash"));
                    }
                });
        return new Standings(revoked, secretHashes);
    }

    /** Inserts unless the app id is taken; true when the row was created. */
    boolean any() {
        return jdbc.sql("select exists (select 1 from account)").query(Boolean.class).single();
    }

    boolean insert(Account account) {
        return jdbc.sql("""
                        insert into account (id, app_id, secret_hash, name, created_on) values (?, ?, ?, ?, ?)
                        on conflict (app_id) do nothing""")
                .params(account.id().value(), account.appId(), account.secretHash(), account.name(),
                        Timestamp.from(account.createdOn()))
                .update() == 1;
    }

    void updateSecretHash(AccountId id, String secretHash) {
        jdbc.sql("update account set secret_hash = ? where id = ?").params(secretHash, id.value()).update();
    }

    /** Gives the account {@code appId} a new secret hash; false when there is no such account. */
    boolean updateSecretHash(String appId, String secretHash) {
        return jdbc.sql("update account set secret_hash = ? where app_id = ?").params(secretHash, appId).update() == 1;
    }

    /**
     * At most {@code limit} accounts ordered by appId, those after {@code after} when it is given: an appId, which
     * names a position in that order whether or not its account still exists.
     */
    List<Account> page(String after, int limit) {
        return jdbc.sql("""
                        select id, app_id, secret_hash, name, created_on from account
                        where (cast(:after as varchar) is null or app_id > :after)
                        order by app_id limit :limit""")
                .param("after", after).param("limit", limit)
                .query(AccountRepository::map).list();
    }

    /**
     * Locks the account {@code appId} for its deletion: every other change of the row (a secret rotation, a tracker
     * created, which locks it too) waits, while rows referring to it can still be written until the row itself goes
     * (a {@code for update} here would make a job that holds its conversation's lock and then writes analytics
     * rollups, which take a key-share lock on the account, deadlock with the delete waiting for that conversation).
     */
    Optional<Account> lockForDeletion(String appId) {
        return jdbc.sql("select id, app_id, secret_hash, name, created_on from account where app_id = ? "
                        + "for no key update")
                .param(appId).query(AccountRepository::map).optional();
    }

    /** Deletes the account's row and its revoked tokens; everything else of it must be gone already. */
    void delete(AccountId id) {
        jdbc.sql("delete from revoked_token where account_id = ?").param(id.value()).update();
        jdbc.sql("delete from account where id = ?").param(id.value()).update();
    }

    private static Account map(ResultSet rs, int row) throws SQLException {
        return new Account(new AccountId(rs.getObject("id", UUID.class)), rs.getString("app_id"),
                rs.getString("secret_hash"), rs.getString("name"), rs.getTimestamp("created_on").toInstant());
    }
}
