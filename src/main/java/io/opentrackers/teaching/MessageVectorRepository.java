package io.opentrackers.teaching;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.VectorBytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stored sentence vectors (table {@code message_vector}), per account and model. */
@Repository
class MessageVectorRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    MessageVectorRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    Map<String, float[]> load(AccountId account, String modelId) {
        Map<String, float[]> found = new HashMap<>();
        jdbc.sql("select message_id, vector from message_vector where account_id = ? and model_id = ?")
                .params(account.value(), modelId)
                .query((rs, row) -> found.put(rs.getString(1), VectorBytes.decode(rs.getBytes(2))))
                .list();
        return found;
    }

    /** The stored vectors of these sentences (those that have one). */
    Map<String, float[]> load(AccountId account, String modelId, List<String> messageIds) {
        Map<String, float[]> found = new HashMap<>();
        jdbc.sql("""
                select message_id, vector from message_vector
                where account_id = ? and model_id = ? and message_id = any(?)""")
                .params(account.value(), modelId, messageIds.toArray(String[]::new))
                .query((rs, row) -> found.put(rs.getString(1), VectorBytes.decode(rs.getBytes(2))))
                .list();
        return found;
    }

    /** Deletes every sentence vector of the account, under every model. */
    void deleteAllOf(AccountId account) {
        jdbc.sql("delete from message_vector where account_id = ?").param(account.value()).update();
    }

    /** Concurrent writers of the same vectors are harmless; a message deleted meanwhile fails its whole batch. */
    void store(AccountId account, String modelId, List<String> messageIds, float[][] vectors) {
        List<Object[]> rows = new ArrayList<>(messageIds.size());
        for (int i = 0; i < messageIds.size(); i++) {
            rows.add(new Object[] {messageIds.get(i), modelId, account.value(), VectorBytes.encode(vectors[i])});
        }
        batch.batchUpdate("""
                insert into message_vector (message_id, model_id, account_id, vector) values (?, ?, ?, ?)
                on conflict do nothing""", rows);
    }
}
