package io.opentrackers.tracker;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.matching.LabelledExample;
import io.opentrackers.matching.TrackerDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** {@link TrackerCatalog} over the managed trackers, with inline trackers checked by the same rules. */
@Service
class ManagedTrackerCatalog implements TrackerCatalog {

    /** Inline trackers are not stored, so nothing can change them: their version is constant. */
    static final long INLINE_VERSION = 0;

    /** Shared definitions kept at most; an entry is a few KB (its vocabulary). */
    private static final int SHARED_DEFINITIONS = 20_000;

    private final TrackerRepository trackers;
    private final TrackerRules rules;
    /**
     * One definition object per tracker id and version (every change bumps the version). Every live stream holds
     * its trackers for its whole life: 50 streams of an account with 500 trackers held 50 copies of the same
     * 5,000 phrases (about 25 MB), and copying them at each young collection stretched its pauses.
     */
    private final Cache<String, TrackerDefinition> shared = Caffeine.newBuilder()
            .maximumSize(SHARED_DEFINITIONS).build();

    private final TrackerExampleSource examples;

    ManagedTrackerCatalog(TrackerRepository trackers, TrackerRules rules, TrackerExampleSource examples) {
        this.trackers = trackers;
        this.rules = rules;
        this.examples = examples;
    }

    /*
     * Repeatable read: the tracker rows and their examples are read in two statements, and a version must never be
     * cached with the examples of another (an example write bumps the version in its own transaction).
     */
    @Override
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<TrackerDefinition> allOf(AccountId account) {
        return definitions(trackers.findAll(account));
    }

    @Override
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<TrackerDefinition> resolve(AccountId account, TrackerSelection selection) {
        List<FieldViolation> violations = new ArrayList<>();
        Map<String, TrackerDefinition> resolved = new LinkedHashMap<>();
        List<TrackerReference> references = selection.requested();
        for (int i = 0; i < references.size(); i++) {
            TrackerDefinition definition = resolveOne(account, references.get(i), "trackers[" + i + "]", violations);
            if (definition != null) {
                resolved.putIfAbsent(definition.id(), definition);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        if (selection.includesAllAccountTrackers()) {
            allOf(account).forEach(definition -> resolved.putIfAbsent(definition.id(), definition));
        }
        return List.copyOf(resolved.values());
    }

    private TrackerDefinition resolveOne(AccountId account, TrackerReference reference, String field,
            List<FieldViolation> violations) {
        if (reference == null) {
            violations.add(FieldViolation.of(field, "must be {\"id\": ...} or {\"name\": ..., \"vocabulary\": [...]}"));
            return null;
        }
        List<String> besideId = reference.id() == null ? List.of() : inlineMembers(reference);
        if (!besideId.isEmpty()) {
            // {id, speaker} dropped the speaker and {id, name, vocabulary} the id, both without a word: which of the
            // two the client meant cannot be known
            violations.add(FieldViolation.of(field + ".id", "is given with " + String.join(", ", besideId)
                    + "; send {\"id\": ...} alone to apply the saved tracker as it is, or leave out \"id\" to apply "
                    + "an inline tracker"));
            return null;
        }
        if (reference.isReference()) {
            if (!TrackerRules.checkReferenceId(reference.id(), field + ".id", violations)) {
                return null;
            }
            // A foreign id is reported exactly like an unknown one: accounts never learn of each other.
            return trackers.find(account, reference.id()).map(t -> definitions(List.of(t)).get(0)).orElseGet(() -> {
                violations.add(FieldViolation.of(field + ".id", "no tracker with id '" + reference.id() + "'"));
                return null;
            });
        }
        if (reference.name() == null && reference.vocabulary() == null) {
            violations.add(FieldViolation.of(field,
                    "must be {\"id\": ...} of a managed tracker or an inline {\"name\": ..., \"vocabulary\": [...]}"));
            return null;
        }
        int before = violations.size();
        TrackerContent content = rules.checkInline(reference, field + ".", violations);
        if (content == null) {
            pointToTheManagedTracker(account, reference, field, violations.subList(before, violations.size()));
            return null;
        }
        return new TrackerDefinition(inlineId(content), content.name(), content.vocabulary(), content.sensitivity(),
                INLINE_VERSION, content.conditions());
    }

    /** The members of an inline tracker that {@code reference} gives, by their JSON names. */
    private static List<String> inlineMembers(TrackerReference reference) {
        List<String> members = new ArrayList<>();
        addIf(reference.name() != null, "name", members);
        // an empty list is no member given: generated clients send their unset lists as [], and no inline tracker
        // is without phrases (nor an exclusion list without exclusions)
        addIf(reference.vocabulary() != null && !reference.vocabulary().isEmpty(), "vocabulary", members);
        addIf(reference.sensitivity() != null, "sensitivity", members);
        addIf(reference.speaker() != null, "speaker", members);
        addIf(reference.window() != null, "window", members);
        addIf(reference.exclude() != null && !reference.exclude().isEmpty(), "exclude", members);
        return members;
    }

    private static void addIf(boolean given, String member, List<String> members) {
        if (given) {
            members.add(member);
        }
    }

    /**
     * {@code {"name": "Refund request"}} alone reads as an inline tracker without phrases, but its sender nearly always
     * meant the saved tracker of that name, and "vocabulary: is required" did not say that a saved tracker is named by
     * its id: when the account has one tracker of that name, the refusal names its {@code {"id": ...}}. Only a name
     * that passed its own checks is looked up.
     */
    private void pointToTheManagedTracker(AccountId account, TrackerReference reference, String field,
            List<FieldViolation> found) {
        String vocabularyField = field + ".vocabulary";
        if (reference.vocabulary() != null || reference.name() == null
                || found.stream().anyMatch(v -> !v.field().equals(vocabularyField))) {
            return;
        }
        List<Tracker> named = trackers.findByName(account, TrackerRules.nameForm(reference.name()));
        if (named.size() != 1) {
            return;
        }
        found.replaceAll(v -> v.field().equals(vocabularyField) ? FieldViolation.of(vocabularyField, v.message()
                + " for an inline tracker; to use your saved tracker '" + named.get(0).content().name()
                + "', send {\"id\": \"" + named.get(0).id() + "\"}") : v);
    }

    /**
     * The same name and vocabulary (and conditions, when there are any) always give the same id (a name-based UUID),
     * so a conversation that is appended to later reports an inline tracker under the id it had before.
     */
    static String inlineId(TrackerContent content) {
        String key = content.name() + '\u0000' + String.join("\u0000", content.vocabulary())
                + (content.conditions().isNone() ? "" : '\u0001' + content.conditions().toString());
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The definitions of these rows, with their examples; examples are read only for versions not yet shared. */
    private List<TrackerDefinition> definitions(List<Tracker> rows) {
        Map<String, TrackerDefinition> known = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Tracker tracker : rows) {
            TrackerDefinition definition = shared.getIfPresent(key(tracker));
            if (definition != null) {
                known.put(key(tracker), definition);
            } else {
                unknown.add(tracker.id());
            }
        }
        Map<String, List<LabelledExample>> found = unknown.isEmpty() ? Map.of() : examples.examplesOf(unknown);
        List<TrackerDefinition> definitions = new ArrayList<>(rows.size());
        for (Tracker tracker : rows) {
            TrackerDefinition definition = known.get(key(tracker));
            if (definition == null) {
                TrackerContent c = tracker.content();
                TrackerDefinition fresh = new TrackerDefinition(tracker.id(), c.name(), c.vocabulary(),
                        c.sensitivity(), tracker.version(), c.conditions(), found.getOrDefault(tracker.id(), List.of()));
                TrackerDefinition raced = shared.asMap().putIfAbsent(key(tracker), fresh);
                definition = raced != null ? raced : fresh;
            }
            definitions.add(definition);
        }
        return definitions;
    }

    private static String key(Tracker tracker) {
        return tracker.id() + '@' + tracker.version();
    }
}
