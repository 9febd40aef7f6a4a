package io.opentrackers.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
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

    private static Account map(ResultSet rs, int row) throws SQLException {
        return new Account(new AccountId(rs.getObject("id", UUID.class)), rs.getString("app_id"),
                rs.getString("secret_hash"), rs.getString("name"), rs.getTimestamp("created_on").toInstant());
    }
}
