package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentrackers.account.AccountId;
import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.matching.BagOfWordsModel;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.SimilarityKernel;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.VocabularyIndex;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Vocabulary vectors survive a restart: a new {@link DetectionService} (what a restarted process builds) on the
 * same database embeds only the messages, never the vocabulary again; a model switch or a new tracker version
 * re-embeds once. Counted with a deterministic model, against a real PostgreSQL with the real migrations.
 */
class VocabularyPersistenceIT {

    private static final AccountId ACCOUNT = new AccountId(UUID.randomUUID());

    private static EmbeddedPostgres postgres;
    private static JdbcClient jdbc;
    private static VocabularyEmbeddingRepository repository;
    private static final ThreadPoolTaskExecutor scorers = DetectionConfiguration.scoringExecutor(2);

    @BeforeAll
    static void database() throws Exception {
        scorers.initialize();
        postgres = EmbeddedPostgres.builder().start();
        DataSource dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = JdbcClient.create(dataSource);
        repository = new VocabularyEmbeddingRepository(jdbc, new JdbcTemplate(dataSource));
    }

    @AfterAll
    static void stop() throws Exception {
        scorers.shutdown();
        postgres.close();
    }

    /** What a (re)started process builds: fresh in-memory caches over the same database. */
    private static DetectionService start(BagOfWordsModel model) {
        MatchingProperties properties = new MatchingProperties(null, 0.3, null, null, null, null, 1000, 150000, 20000, 100000);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        VocabularyVectors vectors = new VocabularyVectors(model, repository, properties, meters);
        IndexCache indexes = new IndexCache((account, trackers) -> new VocabularyIndex(vectors.of(account, trackers),
                SimilarityKernel.portable()), properties.indexCachePhrases(), meters);
        // a model without a descriptor's calibration: the policy is the configured one
        ModelDescriptor descriptor = new ModelDescriptor(model.id(), ModelDescriptor.Pooling.MEAN, "", 256, null);
        return new DetectionService(model, new RememberedVectors(model, 1 << 20, Runnable::run), descriptor, indexes, properties,
                meters, scorers);
    }

    private static TrackerDefinition storedTracker(long version, List<String> vocabulary) {
        UUID account = UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        jdbc.sql("insert into account (id, app_id, secret_hash, name) values (?, ?, 'x', 'test')")
                .params(account, "app-" + account).update();
        jdbc.sql("insert into tracker (id, account_id, name, vocabulary, version, created_on, updated_on) "
                + "values (?, ?, 'Money', ?, ?, now(), now())")
                .params(id, account, vocabulary.toArray(String[]::new), version).update();
        return new TrackerDefinition(id, "Money", vocabulary, null, version);
    }

    private static int rows(String trackerId) {
        return jdbc.sql("select count(*) from vocabulary_embedding where tracker_id = ?").param(trackerId)
                .query(Integer.class).single();
    }

    private static final List<String> VOCABULARY = List.of("I don't have any money", "my account is empty",
            "I am broke", "cannot pay my rent", "out of cash");
    private static final List<MessageText> MESSAGE = List.of(new MessageText("m1", "I have no money left"));

    @Test
    void aRestartReEmbedsNothingAndAModelSwitchReEmbedsOnce() {
        TrackerDefinition tracker = storedTracker(3, VOCABULARY);

        BagOfWordsModel first = new BagOfWordsModel("model-a");
        List<TrackerHit> before = start(first).detect(ACCOUNT, List.of(tracker), MESSAGE);
        assertThat(first.embedded()).isEqualTo(5 + 1);
        assertThat(rows(tracker.id())).isEqualTo(5);

        BagOfWordsModel afterRestart = new BagOfWordsModel("model-a");
        List<TrackerHit> after = start(afterRestart).detect(ACCOUNT, List.of(tracker), MESSAGE);
        assertThat(afterRestart.embedded()).as("only the message is embedded").isEqualTo(1);
        assertThat(after).isEqualTo(before).isNotEmpty();

        BagOfWordsModel switched = new BagOfWordsModel("model-b");
        DetectionService onNewModel = start(switched);
        onNewModel.detect(ACCOUNT, List.of(tracker), MESSAGE);
        onNewModel.detect(ACCOUNT, List.of(tracker), MESSAGE);
        assertThat(switched.embedded()).as("vocabulary once, and the message once: the account's recent texts remember it")
                .isEqualTo(5 + 1);
        assertThat(jdbc.sql("select distinct model_id from vocabulary_embedding where tracker_id = ?")
                .param(tracker.id()).query(String.class).list()).containsExactly("model-b");

        BagOfWordsModel restartedOnNewModel = new BagOfWordsModel("model-b");
        start(restartedOnNewModel).detect(ACCOUNT, List.of(tracker), MESSAGE);
        assertThat(restartedOnNewModel.embedded()).isEqualTo(1);
    }

    @Test
    void aNewTrackerVersionEmbedsOnlyItsNewPhrasesAndReplacesTheOldVectors() {
        TrackerDefinition v1 = storedTracker(1, VOCABULARY);
        DetectionService service = start(new BagOfWordsModel("model-a"));
        service.detect(ACCOUNT, List.of(v1), MESSAGE);

        List<String> changed = List.of("I don't have any money", "my wallet is empty", "I am broke",
                "cannot pay my rent", "out of cash", "no funds");
        TrackerDefinition v2 = new TrackerDefinition(v1.id(), v1.name(), changed, 0.7, 2);
        BagOfWordsModel model = new BagOfWordsModel("model-a");
        start(model).detect(ACCOUNT, List.of(v2), MESSAGE);
        // embeddings are deterministic, so the four phrases v1 already had keep their stored vectors
        assertThat(model.embedded()).as("the two new phrases, then the message").isEqualTo(2 + 1);
        assertThat(jdbc.sql("select distinct tracker_version from vocabulary_embedding where tracker_id = ?")
                .param(v1.id()).query(Long.class).list()).containsExactly(2L);
        assertThat(rows(v1.id())).isEqualTo(6);
    }

    @Test
    void hitsNameTheTrackerAsOfItsCurrentVersionAndInlineTrackersByTheirContent() {
        TrackerDefinition v1 = storedTracker(1, VOCABULARY);
        DetectionService service = start(new BagOfWordsModel("model-a"));
        assertThat(service.detect(ACCOUNT, List.of(v1), MESSAGE)).extracting(TrackerHit::trackerName)
                .containsOnly("Money");

        TrackerDefinition renamed = new TrackerDefinition(v1.id(), "Funds", VOCABULARY, null, 2);
        assertThat(service.detect(ACCOUNT, List.of(renamed), MESSAGE)).extracting(TrackerHit::trackerName)
                .containsOnly("Funds");

        TrackerDefinition inline = new TrackerDefinition("inline-2", "Cash", VOCABULARY, null, 0);
        TrackerDefinition inlineRenamed = new TrackerDefinition("inline-2", "Broke", VOCABULARY, null, 0);
        assertThat(service.detect(ACCOUNT, List.of(inline), MESSAGE)).extracting(TrackerHit::trackerName)
                .containsOnly("Cash");
        assertThat(service.detect(ACCOUNT, List.of(inlineRenamed), MESSAGE)).extracting(TrackerHit::trackerName)
                .containsOnly("Broke");
    }

    @Test
    void inlineTrackersAreNeverStoredButReuseTheirVectors() {
        TrackerDefinition inline = new TrackerDefinition("inline-1", "Money", VOCABULARY, null, 0);
        BagOfWordsModel model = new BagOfWordsModel("model-a");
        DetectionService service = start(model);
        service.detect(ACCOUNT, List.of(inline), MESSAGE);
        service.detect(ACCOUNT, List.of(inline), List.of(new MessageText("m2", "The weather is nice today")));
        assertThat(model.embedded()).isEqualTo(5 + 1 + 1);
        assertThat(rows("inline-1")).isZero();
    }

    /**
     * The same inline phrases sent by another account are embedded again: were they shared, the quicker answer would
     * confirm to that account that someone used exactly this vocabulary (docs/security.md).
     */
    @Test
    void inlinePhrasesAnotherAccountSentAreEmbeddedAgainWithTheSameHits() {
        TrackerDefinition inline = new TrackerDefinition("inline-3", "Money", VOCABULARY, null, 0);
        BagOfWordsModel model = new BagOfWordsModel("model-a");
        DetectionService service = start(model);
        AccountId other = new AccountId(UUID.randomUUID());

        List<TrackerHit> mine = service.detect(ACCOUNT, List.of(inline), MESSAGE);
        List<TrackerHit> theirs = service.detect(other, List.of(inline), MESSAGE);
        assertThat(model.embedded()).as("the vocabulary and the message, for each account").isEqualTo(2 * (5 + 1));
        service.detect(ACCOUNT, List.of(inline), MESSAGE);
        assertThat(model.embedded()).as("the first account's phrases and message are still known to it")
                .isEqualTo(2 * (5 + 1));
        assertThat(theirs).isEqualTo(mine).isNotEmpty();
    }

    @Test
    void vectorsRoundTripExactly() {
        float[] vector = {0.25f, -1.5f, Float.MIN_VALUE, 3.4e38f};
        assertThat(io.opentrackers.common.VectorBytes.decode(io.opentrackers.common.VectorBytes.encode(vector)))
                .containsExactly(vector);
    }

    @Test
    void aTrackerDeletedWhileItsVectorsAreStoredGetsNoneAndTheDeleteGoesThrough() throws Exception {
        TrackerDefinition tracker = storedTracker(1, VOCABULARY);
        Map<String, float[]> vectors = Map.of("I am broke", new float[] {1f, 0f});
        repository.store("model-a", new VocabularyEmbeddingRepository.Key(tracker.id(), 1), vectors);
        DataSource dataSource = postgres.getPostgresDatabase();
        try (Connection deleting = dataSource.getConnection()) {
            // a delete in flight holds the tracker's row while the warm-up stores the tracker's next version
            deleting.setAutoCommit(false);
            try (Statement statement = deleting.createStatement()) {
                assertThat(statement.executeUpdate("delete from tracker where id = '" + tracker.id() + "'"))
                        .isEqualTo(1);
            }
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            CompletableFuture<Void> storing = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(
                    status -> repository.store("model-a", new VocabularyEmbeddingRepository.Key(tracker.id(), 2),
                            vectors)));
            // the store waits for the delete ...
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock'")
                    .query(Integer.class).single() == 1);
            deleting.commit();
            // ... and, the tracker gone, stores nothing instead of failing on the foreign key
            storing.get(30, TimeUnit.SECONDS);
        }
        assertThat(rows(tracker.id())).isZero();
    }
}
