package io.opentrackers.teaching;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.ConflictException;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.matching.LabelledExample;
import io.opentrackers.tracker.TrackerExampleSource;
import io.opentrackers.tracker.TrackerRevisions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Examples of managed trackers. A write locks the tracker row, stores, and bumps the tracker's version in one
 * transaction ({@link TrackerRevisions}): every instance that reads the tracker afterwards gets a new definition
 * with the examples, so its matcher builds a new index for it (the old one is keyed by the old version).
 */
@Service
class ExampleService implements TrackerExampleSource {

    static final int MAX_PER_TRACKER = 1000;
    static final String LIMIT_REACHED = "example-limit-reached";

    private final ExampleRepository examples;
    private final TrackerRevisions trackers;
    private final Clock clock = Clock.systemUTC();

    ExampleService(ExampleRepository examples, TrackerRevisions trackers) {
        this.examples = examples;
        this.trackers = trackers;
    }

    /** All or nothing; 409 when the tracker would hold more than {@value #MAX_PER_TRACKER}. */
    @Transactional
    List<Example> add(AccountId account, String trackerId, List<LabelledExample> items) {
        trackers.lock(account, trackerId);
        int held = examples.count(trackerId);
        if (held + items.size() > MAX_PER_TRACKER) {
            throw new ConflictException(LIMIT_REACHED, "Adding " + items.size() + " examples would exceed the limit"
                    + " of " + MAX_PER_TRACKER + " examples per tracker; the tracker holds " + held + " ("
                    + Math.max(0, MAX_PER_TRACKER - held) + " left)", List.of());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Example> created = new ArrayList<>(items.size());
        for (LabelledExample item : items) {
            created.add(new Example(UUID.randomUUID().toString(), item.text(), item.match(), now));
        }
        examples.insert(trackerId, created);
        trackers.revise(account, trackerId);
        return created;
    }

    @Transactional(readOnly = true)
    List<Example> list(AccountId account, String trackerId) {
        trackers.requireExists(account, trackerId);
        return examples.list(trackerId);
    }

    @Transactional
    void delete(AccountId account, String trackerId, String exampleId) {
        trackers.lock(account, trackerId);
        if (!examples.delete(trackerId, exampleId)) {
            throw new NotFoundException("No example with id '" + exampleId + "' in tracker '" + trackerId + "'");
        }
        trackers.revise(account, trackerId);
    }

    @Override
    public Map<String, List<LabelledExample>> examplesOf(Collection<String> trackerIds) {
        return trackerIds.isEmpty() ? Map.of() : examples.byTrackers(trackerIds);
    }
}
