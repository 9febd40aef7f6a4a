package io.opentrackers.detection;

import io.opentrackers.common.VectorBytes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Persisted vocabulary embeddings (table vocabulary_embedding, migration V3). */
@Repository
class VocabularyEmbeddingRepository {

    /** Key of one tracker version's vectors under one model. */
    record Key(String trackerId, long version) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    VocabularyEmbeddingRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** Phrase to vector, per tracker version, for the given trackers under the model. */
    Map<Key, Map<String, float[]>> load(String modelId, List<Key> keys) {
        Map<Key, Map<String, float[]>> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        String[] ids = keys.stream().map(Key::trackerId).distinct().toArray(String[]::new);
        jdbc.sql("""
                select tracker_id, tracker_version, phrase, vector from vocabulary_embedding
                where model_id = :model and tracker_id = any(:ids)""")
                .param("model", modelId).param("ids", ids)
                .query((rs, row) -> {
                    Key key = new Key(rs.getString(1), rs.getLong(2));
                    found.computeIfAbsent(key, k -> new HashMap<>()).put(rs.getString(3), VectorBytes.decode(rs.getBytes(4)));
                    return null;
                }).list();
        found.keySet().retainAll(keys);
        return found;
    }

    /** Text to vector per tracker, from whatever versions of these trackers are stored under the model. */
    Map<String, Map<String, float[]>> loadAnyVersion(String modelId, List<String> trackerIds) {
        Map<String, Map<String, float[]>> found = new HashMap<>();
        jdbc.sql("""
                select tracker_id, phrase, vector from vocabulary_embedding
                where model_id = :model and tracker_id = any(:ids)""")
                .param("model", modelId).param("ids", trackerIds.toArray(String[]::new))
                .query((rs, row) -> {
                    found.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2), VectorBytes.decode(rs.getBytes(3)));
                    return null;
                }).list();
        return found;
    }

    /**
     * Stores one tracker version's vectors and drops what other versions or models left for that tracker (a model
     * switch keeps only the current model's vectors). Concurrent writers of the same vectors are harmless; a tracker
     * deleted meanwhile gets nothing stored.
     *
     * @return whether the tracker still exists (and its vectors were stored)
     */
    @Transactional
    boolean store(String modelId, Key key, Map<String, float[]> vectors) {
        // The tracker's row first, as deleting a tracker takes it (and then its vectors, by cascade): locking the
        // vectors first and the tracker second, through the insert's foreign key check, deadlocked with a delete.
        boolean exists = !jdbc.sql("select 1 from tracker where id = :id for key share")
                .param("id", key.trackerId()).query().listOfRows().isEmpty();
        if (!exists) {
            return false;
        }
        jdbc.sql("""
                delete from vocabulary_embedding
                where tracker_id = :id and (tracker_version <> :version or model_id <> :model)""")
                .param("id", key.trackerId()).param("version", key.version()).param("model", modelId).update();
        List<Object[]> rows = vectors.entrySet().stream()
                .map(e -> new Object[] {key.trackerId(), key.version(), modelId, e.getKey(), VectorBytes.encode(e.getValue())})
                .toList();
        // JdbcClient has no batch API; one round trip per tracker instead of one per phrase
        batch.batchUpdate("""
                insert into vocabulary_embedding (tracker_id, tracker_version, model_id, phrase, vector)
                values (?, ?, ?, ?, ?) on conflict do nothing""", rows);
        return true;
    }
}
