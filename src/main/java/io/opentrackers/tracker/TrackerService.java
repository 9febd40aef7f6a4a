package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.ConflictException;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The Management API's use cases. Every change runs in one transaction and publishes a
 * {@link TrackersChangedEvent} in it, which {@code @TransactionalEventListener}s receive after the commit.
 */
@Service
class TrackerService implements TrackerRevisions {

    static final String LIMIT_REACHED = "tracker-limit-reached";
    static final String NAME_TAKEN = "tracker-name-taken";
    static final String PATCH_CONFLICT = "conflict";

    private final TrackerRepository trackers;
    private final TrackerRules rules;
    private final TrackerLimits limits;
    private final ApplicationEventPublisher events;
    private final Clock clock = Clock.systemUTC();

    TrackerService(TrackerRepository trackers, TrackerRules rules, TrackerLimits limits,
            ApplicationEventPublisher events) {
        this.trackers = trackers;
        this.rules = rules;
        this.limits = limits;
        this.events = events;
    }

    @Transactional
    Tracker create(AccountId account, TrackerRequest request) {
        TrackerContent content = rules.validate(request);
        return insertAll(account, List.of(content), false).get(0);
    }

    /**
     * All or nothing: one bad item stores nothing, and the error lists every bad item by its index, in one answer.
     * When an item breaks a rule, the names that are taken or repeated in the request are listed with it (400): a
     * client fixing the request learns everything at once. When names are the only problem, it is a 409.
     *
     * @param requests   the items in request order, null where an item could not be read
     * @param unreadable why those items could not be read (violations with their index)
     */
    @Transactional
    List<Tracker> createAll(AccountId account, List<TrackerRequest> requests, List<FieldViolation> unreadable) {
        if (requests.isEmpty()) {
            throw new InvalidInputException("trackers", "must contain at least one tracker");
        }
        List<FieldViolation> violations = new ArrayList<>(unreadable);
        List<TrackerContent> contents = new ArrayList<>(requests.size());
        List<String> names = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            TrackerRequest request = requests.get(i);
            if (request == null) {
                contents.add(null);
                names.add(null);
                continue;
            }
            List<FieldViolation> itemViolations = new ArrayList<>();
            TrackerContent content = rules.check(request, "", itemViolations);
            contents.add(content);
            names.add(content != null ? content.name() : rules.checkedName(request));
            for (FieldViolation violation : itemViolations) {
                violations.add(violation.atIndex(i));
            }
        }
        if (!violations.isEmpty()) {
            violations.addAll(nameConflicts(account, names, true));
            violations.sort(Comparator.comparing(FieldViolation::index)); // stable: each item's reasons keep their order
            throw new InvalidInputException(violations);
        }
        return insertAll(account, contents, true);
    }

    @Transactional(readOnly = true)
    List<Tracker> list(AccountId account) {
        return trackers.findAll(account);
    }

    /** The tracker a create with this name would have made: the name is read in the same form. */
    @Transactional(readOnly = true)
    List<Tracker> findByName(AccountId account, String name) {
        return trackers.findByName(account, TrackerRules.nameForm(name));
    }

    @Transactional(readOnly = true)
    Tracker get(AccountId account, String id) {
        return trackers.find(account, id).orElseThrow(() -> notFound(id));
    }

    /**
     * PUT: the request becomes the whole tracker; fields it leaves out go back to their defaults. The precondition is
     * checked under the row lock, so that no other change comes between the check and this one.
     */
    @Transactional
    Tracker replace(AccountId account, String id, TrackerRequest request, TrackerPrecondition precondition) {
        TrackerContent content = rules.validate(request);
        Tracker current = trackers.findForUpdate(account, id).orElseThrow(() -> notFound(id));
        precondition.check(current);
        return update(current, content);
    }

    /**
     * PATCH: the values are checked alone (400 when one is wrong whatever the tracker holds), then the change is
     * applied to the current tracker under a row lock and checked like a PUT. A patch that does not apply to the
     * current state is a 409 {@code conflict}: concurrent requests change the state between the client's read and
     * its patch (issue 20 saw 400s there), and only the state, not the request, is at fault.
     */
    @Transactional
    Tracker patch(AccountId account, String id, TrackerPatch change, TrackerPrecondition precondition) {
        change.checkValues(rules);
        Tracker current = trackers.findForUpdate(account, id).orElseThrow(() -> notFound(id));
        precondition.check(current);
        TrackerContent content;
        try {
            content = rules.validate(change.apply(current.content().toRequest()));
        } catch (InvalidInputException e) {
            throw new ConflictException(PATCH_CONFLICT, "The patch does not apply to the tracker's current state "
                    + "(version " + current.version() + "): " + e.getMessage(), e.violations());
        }
        return update(current, content);
    }

    @Transactional
    void delete(AccountId account, String id, TrackerPrecondition precondition) {
        if (!precondition.isNone()) {
            precondition.check(trackers.findForUpdate(account, id).orElseThrow(() -> notFound(id)));
        }
        if (!trackers.delete(account, id)) {
            throw notFound(id);
        }
        events.publishEvent(new TrackersChangedEvent(account));
    }

    @Override
    @Transactional
    public long lock(AccountId account, String id, String ifMatch) {
        TrackerPrecondition precondition = TrackerPrecondition.parse(ifMatch);
        Tracker current = trackers.findForUpdate(account, id).orElseThrow(() -> notFound(id));
        precondition.check(current);
        return current.version();
    }

    @Override
    @Transactional
    public long revise(AccountId account, String id) {
        Tracker current = trackers.findForUpdate(account, id).orElseThrow(() -> notFound(id));
        trackers.update(new Tracker(current.id(), current.account(), current.content(), current.version() + 1,
                current.createdOn(), now()));
        events.publishEvent(new TrackersChangedEvent(account));
        return current.version() + 1;
    }

    @Override
    @Transactional(readOnly = true)
    public long version(AccountId account, String id) {
        return get(account, id).version();
    }

    @Override
    @Transactional(readOnly = true)
    public void requireExists(AccountId account, String id) {
        get(account, id);
    }

    private List<Tracker> insertAll(AccountId account, List<TrackerContent> contents, boolean bulk) {
        if (!trackers.lockAccount(account)) {
            // The token is valid but its account was removed: nothing of it can be addressed any more.
            throw new NotFoundException("Account " + account + " does not exist");
        }
        checkNamesAreFree(account, contents, bulk);
        int held = trackers.count(account);
        if (held + contents.size() > limits.maxTrackersPerAccount()) {
            throw limitReached(contents.size(), held, bulk);
        }
        Instant now = now();
        List<Tracker> created = new ArrayList<>(contents.size());
        for (TrackerContent content : contents) {
            Tracker tracker = new Tracker(UUID.randomUUID().toString(), account, content, 1, now, now);
            insert(tracker);
            created.add(tracker);
        }
        events.publishEvent(new TrackersChangedEvent(account));
        return created;
    }

    /**
     * A bulk request of more trackers than an account may hold can never succeed, whatever its items are: it is
     * refused before they are read, so that the cost of reading it and the size of its answer are bounded by the
     * limit and not by the body (a 1 MB array of 340,000 empty objects was answered with a 115 MB list of errors).
     */
    @Transactional(readOnly = true)
    void checkBulkSize(AccountId account, int items) {
        if (items > limits.maxTrackersPerAccount()) {
            throw limitReached(items, trackers.count(account), true);
        }
    }

    private ConflictException limitReached(int creating, int held, boolean bulk) {
        int max = limits.maxTrackersPerAccount();
        String detail = bulk
                ? "Creating " + creating + " trackers would exceed the limit of " + max
                + " trackers per account; the account holds " + held + " (" + Math.max(0, max - held) + " left)"
                : "The account already holds " + held + " trackers, the limit is " + max
                + "; delete trackers before creating more";
        return new ConflictException(LIMIT_REACHED, detail, List.of());
    }

    /** Names are unique per account (case-sensitive), also among the items of one bulk request. */
    private void checkNamesAreFree(AccountId account, List<TrackerContent> contents, boolean bulk) {
        List<FieldViolation> conflicts = nameConflicts(account, contents.stream().map(TrackerContent::name).toList(),
                bulk);
        if (!conflicts.isEmpty()) {
            String detail = conflicts.stream().map(FieldViolation::describe).collect(Collectors.joining("; "));
            throw new ConflictException(NAME_TAKEN, detail, conflicts);
        }
    }

    /**
     * The names among {@code names} that the account already uses or that an earlier item repeats, as violations of
     * {@code name} (with their index for a bulk request). Null names (refused by the rules) are skipped.
     */
    private List<FieldViolation> nameConflicts(AccountId account, List<String> names, boolean bulk) {
        List<String> given = names.stream().filter(Objects::nonNull).toList();
        Set<String> taken = given.isEmpty() ? Set.of() : Set.copyOf(trackers.existingNames(account, given));
        Map<String, Integer> firstIndex = new HashMap<>();
        List<FieldViolation> conflicts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null) {
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(name, i);
            String reason = taken.contains(name) ? "a tracker named '" + name + "' already exists"
                    : earlier != null ? "'" + name + "' is also the name of item " + earlier + " of this request"
                    : null;
            if (reason != null) {
                FieldViolation violation = FieldViolation.of("name", reason);
                conflicts.add(bulk ? violation.atIndex(i) : violation);
            }
        }
        return conflicts;
    }

    private Tracker update(Tracker current, TrackerContent content) {
        if (content.equals(current.content())) {
            // nothing changes, so neither do the version, updatedOn, the calibration or the caches (a client that
            // PUTs its trackers on every deploy must not look like it edited them)
            return current;
        }
        if (!content.name().equals(current.name())
                && !trackers.existingNames(current.account(), List.of(content.name())).isEmpty()) {
            throw nameTaken(content.name());
        }
        Tracker changed = new Tracker(current.id(), current.account(), content, current.version() + 1,
                current.createdOn(), now());
        try {
            trackers.update(changed);
        } catch (DuplicateKeyException e) {
            throw nameTaken(content.name());
        }
        events.publishEvent(new TrackersChangedEvent(current.account()));
        return changed;
    }

    private void insert(Tracker tracker) {
        try {
            trackers.insert(tracker);
        } catch (DuplicateKeyException e) {
            // Only reachable when a concurrent rename took the name between our check and the insert.
            throw nameTaken(tracker.name());
        }
    }

    private static ConflictException nameTaken(String name) {
        String detail = "name: a tracker named '" + name + "' already exists";
        return new ConflictException(NAME_TAKEN, detail,
                List.of(FieldViolation.of("name", "a tracker named '" + name + "' already exists")));
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("No tracker with id '" + id + "'");
    }

    /** Millisecond precision: what PostgreSQL stores and what the API shows are then the same instant. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
