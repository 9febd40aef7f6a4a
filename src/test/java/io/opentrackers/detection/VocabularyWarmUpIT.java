package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackersChangedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The warm-up reads an account's trackers only after the change that announced it committed. Its visible effect is
 * the vectors it stores for the trackers it read; trackers are written with SQL here, so that the only warm-ups are
 * the ones these tests announce, inside transactions they control.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VocabularyWarmUpIT {

    private static final String[] VOCABULARY = {"I don't have any money", "my account is empty", "I am broke",
            "cannot pay my rent", "out of cash"};

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    VocabularyVectors vectors;

    @Autowired
    TrackerCatalog catalog;

    @Autowired
    IndexCache indexes;

    private AccountId account() {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into account (id, app_id, secret_hash, name) values (?, ?, 'x', 'warm-up test')")
                .params(id, "app-" + id).update();
        return new AccountId(id);
    }

    private String tracker(AccountId account, String name) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("insert into tracker (id, account_id, name, vocabulary, version, created_on, updated_on) "
                + "values (?, ?, ?, ?, 1, now(), now())")
                .params(id, account.value(), name, VOCABULARY).update();
        return id;
    }

    /** Adds a tracker and announces the change in one transaction that commits, as the Management API does. */
    private String addAndCommit(AccountId account) {
        return transactions.execute(status -> {
            String id = tracker(account, "Money");
            events.publishEvent(new TrackersChangedEvent(account));
            return id;
        });
    }

    private int vectors(String trackerId) {
        return jdbc.sql("select count(*) from vocabulary_embedding where tracker_id = ?").param(trackerId)
                .query(Integer.class).single();
    }

    private void awaitVectors(String trackerId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (vectors(trackerId) < VOCABULARY.length && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(vectors(trackerId)).as("vectors the warm-up stored").isEqualTo(VOCABULARY.length);
    }

    @Test
    void aCommittedChangeIsWarmedUpWithTheTrackerItAdded() throws InterruptedException {
        String added = addAndCommit(account());

        awaitVectors(added);
    }

    @Test
    void aChangeThatRollsBackTriggersNoWarmUp() throws InterruptedException {
        AccountId account = account();
        String existing = tracker(account, "Existing"); // committed, announced by no event
        transactions.executeWithoutResult(status -> {
            tracker(account, "Money");
            events.publishEvent(new TrackersChangedEvent(account));
            status.setRollbackOnly();
        });

        // warm-ups run one at a time, in order: once a later change is warmed up, a warm-up queued by the rolled-back
        // one would have run, and would have stored the vectors of the account's committed tracker
        awaitVectors(addAndCommit(account()));
        assertThat(vectors(existing)).isZero();
    }

    @Test
    void aChangeMadeWithoutATransactionIsWarmedUpAtOnce() throws InterruptedException {
        AccountId account = account();
        String added = tracker(account, "Money");

        events.publishEvent(new TrackersChangedEvent(account));

        awaitVectors(added);
    }

    /**
     * Found by the endurance run (docs/performance.md, "Endurance (soak)"): a version of a tracker that a conversation
     * used between two warm-ups (changed again before the warm-up ran, or changed on another instance, whose changes
     * this instance never hears of) stayed in memory for good, a copy of all its phrases' and examples' vectors for
     * every such version. A tracker's vectors are held for one version, the newest seen.
     */
    @Test
    void aTrackerChangedBetweenWarmUpsKeepsTheVectorsOfOneVersionInMemory() throws InterruptedException {
        AccountId account = account();
        String id = tracker(account, "Money");
        events.publishEvent(new TrackersChangedEvent(account));
        awaitVectorsOfVersion(id, 1);

        // changed on another instance: no event here; a conversation on this instance uses version 2
        jdbc.sql("update tracker set version = 2, updated_on = now() where id = ?").param(id).update();
        vectors.of(account, catalog.allOf(account));
        // changed again, here this time: the warm-up replaces version 1, the one it had prepared
        jdbc.sql("update tracker set version = 3, updated_on = now() where id = ?").param(id).update();
        events.publishEvent(new TrackersChangedEvent(account));
        awaitVectorsOfVersion(id, 3);

        assertThat(vectors.versionsInMemory(id)).containsExactly(3L);
    }

    private void awaitVectorsOfVersion(String trackerId, long version) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && jdbc.sql(
                "select count(*) from vocabulary_embedding where tracker_id = ? and tracker_version = ?")
                .params(trackerId, version).query(Integer.class).single() < VOCABULARY.length) {
            Thread.sleep(50);
        }
    }

    /**
     * Found by the endurance run: a stream keeps the trackers it started with, so after a change its next message
     * builds the index of the old versions again, which the warm-up after the next change did not drop (it dropped
     * only the list it had prepared itself). Such indexes can serve nobody once the stream ends, and they filled the
     * index cache towards its bound (150,000 phrases, about 750 MB) under a workload that teaches trackers while
     * streams run. A warm-up drops every index that names one of the account's trackers at an older version.
     */
    @Test
    void aWarmUpDropsTheIndexesOfOlderVersionsThatAStreamBuiltAgain() throws InterruptedException {
        AccountId account = account();
        String id = tracker(account, "Money");
        events.publishEvent(new TrackersChangedEvent(account));
        awaitVectorsOfVersion(id, 1);
        List<TrackerDefinition> startedWith = catalog.allOf(account);

        jdbc.sql("update tracker set version = 2, updated_on = now() where id = ?").param(id).update();
        events.publishEvent(new TrackersChangedEvent(account));
        awaitVectorsOfVersion(id, 2);
        indexes.indexOf(account, startedWith); // the stream's next message
        jdbc.sql("update tracker set version = 3, updated_on = now() where id = ?").param(id).update();
        events.publishEvent(new TrackersChangedEvent(account));
        awaitVectorsOfVersion(id, 3);

        assertThat(indexes.holds(account, startedWith)).as("the index of version 1 is still cached").isFalse();
        assertThat(indexes.holds(account, catalog.allOf(account))).as("the index of version 3 is cached").isTrue();
    }

    /**
     * Found by the endurance run: a stream that started with a tracker deleted since embedded it again for its next
     * message, and its vectors stayed in memory although nothing could use them after the stream (one entry more in
     * {@code trackers.tracker-vectors} for about every tracker deleted while streams ran).
     */
    @Test
    void aDeletedTrackerThatAStreamStillUsesIsNotKeptInMemory() throws InterruptedException {
        AccountId account = account();
        String id = tracker(account, "Money");
        events.publishEvent(new TrackersChangedEvent(account));
        awaitVectorsOfVersion(id, 1);
        List<TrackerDefinition> startedWith = catalog.allOf(account);

        transactions.executeWithoutResult(status -> {
            jdbc.sql("delete from tracker where id = ?").param(id).update();
            events.publishEvent(new TrackersChangedEvent(account));
        });
        awaitVectorsOfVersion(addAndCommit(account), 1); // the warm-up after the delete has run
        vectors.of(account, startedWith); // the stream's next message

        assertThat(vectors.versionsInMemory(id)).isEmpty();
    }
}
