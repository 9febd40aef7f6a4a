package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A deterministic detector for protocol tests: a hit wherever a phrase occurs literally (case-insensitive).
 * Test hooks: a message containing {@code [fail]} makes detection throw; one containing {@code [hold]} waits
 * until {@link #release()} so that a test can keep jobs active; one containing {@code [outage]} fails the first time
 * it is detected as a lost database connection does, and one containing {@code [outage-always]} every time. The whole
 * messages that sentences holding {@code [copies]} were read in are kept, each text object once, for
 * {@link #copiesOfWholeMessages()}.
 */
public class LiteralTrackerDetector implements TrackerDetector {

    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final Set<String> outages = ConcurrentHashMap.newKeySet();
    private final Set<String> wholeMessages = Collections.synchronizedSet(Collections.newSetFromMap(
            new IdentityHashMap<>()));

    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** How many text objects the sentences holding {@code [copies]} came with as their whole message. */
    public int copiesOfWholeMessages() {
        return wholeMessages.size();
    }

    @Override
    public List<TrackerHit> detect(AccountId account, List<TrackerDefinition> trackers, List<MessageText> messages) {
        List<TrackerHit> hits = new ArrayList<>();
        for (MessageText message : messages) {
            if (message.text().contains("[fail]")) {
                throw new IllegalStateException("test detector asked to fail");
            }
            if (message.text().contains("[outage-always]")
                    || message.text().contains("[outage]") && outages.add(message.text())) {
                throw new DataAccessResourceFailureException("test detector: the database is out of reach",
                        new java.sql.SQLTransientConnectionException("connection refused"));
            }
            if (message.text().contains("[copies]") && message.source() != null) {
                wholeMessages.add(message.source());
            }
            if (message.text().contains("[hold]")) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }
            String text = message.text().toLowerCase(Locale.ROOT);
            for (TrackerDefinition tracker : trackers) {
                for (String phrase : tracker.vocabulary()) {
                    int offset = text.indexOf(phrase.toLowerCase(Locale.ROOT));
                    if (offset >= 0) {
                        hits.add(new TrackerHit(message.id(), tracker.id(), tracker.name(), phrase, offset, 1.0,
                                offset, offset + phrase.length()));
                    }
                }
            }
        }
        return hits;
    }
}
