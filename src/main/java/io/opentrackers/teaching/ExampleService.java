package io.opentrackers.teaching;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.ConflictException;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.common.TextForms;
import io.opentrackers.matching.LabelledExample;
import io.opentrackers.tracker.TrackerExampleSource;
import io.opentrackers.tracker.TrackerRevisions;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * An example as a write left it, with the label it had before the write: {@code null} when the write created it.
     * A client that takes the write back (the teach page's Undo) needs exactly this: remove what was created, give
     * back what was relabelled; what it listed earlier cannot tell, as another tab may have added the text since.
     */
    record Written(Example example, Boolean previousMatch) {
    }

    /** What a write left: the examples it names and the tracker's version after it (its ETag's). */
    record Write(List<Written> examples, long version) {
    }

    /**
     * The tracker's examples with its version, read before them: a write committed in between can only make the
     * version older than the list, so a conditional write based on it is refused (412), never made on a stale list.
     */
    record Listed(List<Example> examples, long version) {
    }

    private final ExampleRepository examples;
    private final TrackerRevisions trackers;
    private final Clock clock = Clock.systemUTC();

    ExampleService(ExampleRepository examples, TrackerRevisions trackers) {
        this.examples = examples;
        this.trackers = trackers;
    }

    /**
     * All or nothing; 409 when the tracker would hold more than {@value #MAX_PER_TRACKER}. The latest label wins: a
     * text the tracker already has an example of ({@link TextForms#key}: ignoring case, spacing and Unicode form)
     * keeps its example, id and place and takes the new label, and does not count again toward the limit; in one
     * body, the last occurrence of a text gives its label. Returns one stored example per distinct text, in the order
     * the texts first appear, each with its label before this write (read under the tracker's lock, so no other write
     * came between). A write that changes nothing (the same labels again) leaves the tracker's version as it
     * is, so a double click costs no rebuild of its index. {@code ifMatch}: the request's {@code If-Match}, null when
     * absent; the write is made only while the tracker has one of its tags ({@link TrackerRevisions#lock(AccountId,
     * String, String)}).
     */
    @Transactional
    Write add(AccountId account, String trackerId, String ifMatch, List<LabelledExample> items) {
        Map<String, LabelledExample> byKey = new LinkedHashMap<>();
        for (LabelledExample item : items) {
            // a repeated text keeps the place and text of its first occurrence and takes the label of its last
            byKey.merge(TextForms.key(item.text()), item, (first, last) -> new LabelledExample(first.text(),
                    last.match()));
        }
        long version = trackers.lock(account, trackerId, ifMatch);
        Map<String, Example> existing = examples.findByKeys(trackerId, byKey.keySet());
        Map<String, LabelledExample> changes = new LinkedHashMap<>();
        byKey.forEach((key, item) -> {
            Example current = existing.get(key);
            if (current == null || current.match() != item.match()) {
                changes.put(key, item);
            }
        });
        int added = (int) changes.keySet().stream().filter(key -> !existing.containsKey(key)).count();
        int held = examples.count(trackerId);
        if (held + added > MAX_PER_TRACKER) {
            throw new ConflictException(LIMIT_REACHED, "Adding " + added + " new example" + (added == 1 ? "" : "s")
                    + " would exceed the limit of " + MAX_PER_TRACKER + " examples per tracker; the tracker holds "
                    + held + " (" + Math.max(0, MAX_PER_TRACKER - held) + " left)", List.of());
        }
        Map<String, Example> stored = new HashMap<>(existing);
        if (!changes.isEmpty()) {
            stored.putAll(examples.upsert(trackerId, changes, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
            // a relabel changes decisions as much as a new example: the new version makes every instance refit
            version = trackers.revise(account, trackerId);
        }
        return new Write(byKey.keySet().stream().map(key -> {
            Example before = existing.get(key);
            return new Written(stored.get(key), before == null ? null : before.match());
        }).toList(), version);
    }

    @Transactional(readOnly = true)
    Listed list(AccountId account, String trackerId) {
        long version = trackers.version(account, trackerId);
        return new Listed(examples.list(trackerId), version);
    }

    /** One example of the account's tracker; 404 for an unknown tracker (another account's too) or example. */
    @Transactional(readOnly = true)
    Example get(AccountId account, String trackerId, String exampleId) {
        trackers.requireExists(account, trackerId);
        return examples.find(trackerId, exampleId).orElseThrow(() -> noExample(trackerId, exampleId));
    }

    /** {@code ifMatch} as for {@link #add}. Returns the tracker's version after the delete. */
    @Transactional
    long delete(AccountId account, String trackerId, String ifMatch, String exampleId) {
        trackers.lock(account, trackerId, ifMatch);
        if (!examples.delete(trackerId, exampleId)) {
            throw noExample(trackerId, exampleId);
        }
        return trackers.revise(account, trackerId);
    }

    private static NotFoundException noExample(String trackerId, String exampleId) {
        return new NotFoundException("No example with id '" + exampleId + "' in tracker '" + trackerId + "'");
    }

    @Override
    public Map<String, List<LabelledExample>> examplesOf(Collection<String> trackerIds) {
        return trackerIds.isEmpty() ? Map.of() : examples.byTrackers(trackerIds);
    }

    @Override
    public Map<String, Counts> countsOf(AccountId account, Collection<String> trackerIds) {
        return trackerIds.isEmpty() ? Map.of() : examples.countsByTracker(account, trackerIds);
    }
}
