package io.opentrackers.job;

import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic detector for protocol tests: a hit wherever a phrase occurs literally (case-insensitive).
 * Test hooks: a message containing {@code [fail]} makes detection throw; one containing {@code [hold]} waits
 * until {@link #release()} so that a test can keep jobs active.
 */
public class LiteralTrackerDetector implements TrackerDetector {

    private volatile CountDownLatch gate = new CountDownLatch(0);

    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    @Override
    public List<TrackerHit> detect(List<TrackerDefinition> trackers, List<MessageText> messages) {
        List<TrackerHit> hits = new ArrayList<>();
        for (MessageText message : messages) {
            if (message.text().contains("[fail]")) {
                throw new IllegalStateException("test detector asked to fail");
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
