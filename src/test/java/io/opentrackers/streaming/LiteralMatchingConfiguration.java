package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Deterministic stand-ins for the matching engine and the tracker store, so protocol tests assert exact hits:
 * the detector reports literal, case-insensitive phrase occurrences only (score 1.0), and the catalog keeps
 * managed trackers in memory per account.
 */
@TestConfiguration(proxyBeanMethods = false)
class LiteralMatchingConfiguration {

    @Bean
    @Primary
    TrackerDetector literalTrackerDetector() {
        return (trackers, messages) -> {
            List<TrackerHit> hits = new ArrayList<>();
            messages.forEach(message -> trackers.forEach(tracker -> tracker.vocabulary().forEach(phrase -> {
                int offset = message.text().toLowerCase(Locale.ROOT).indexOf(phrase.toLowerCase(Locale.ROOT));
                if (offset >= 0) {
                    hits.add(new TrackerHit(message.id(), tracker.id(), tracker.name(), phrase, offset, 1.0, offset,
                            offset + phrase.length()));
                }
            })));
            return hits;
        };
    }

    @Bean
    @Primary
    InMemoryTrackerCatalog inMemoryTrackerCatalog() {
        return new InMemoryTrackerCatalog();
    }

    static final class InMemoryTrackerCatalog implements TrackerCatalog {

        private final Map<AccountId, Map<String, TrackerDefinition>> managed = new ConcurrentHashMap<>();

        String add(String accountId, String name, List<String> vocabulary) {
            String id = UUID.randomUUID().toString();
            managed.computeIfAbsent(AccountId.parse(accountId), account -> new ConcurrentHashMap<>())
                    .put(id, new TrackerDefinition(id, name, vocabulary, null, 1));
            return id;
        }

        @Override
        public List<TrackerDefinition> allOf(AccountId account) {
            return List.copyOf(managed.getOrDefault(account, Map.of()).values());
        }

        @Override
        public List<TrackerDefinition> resolve(AccountId account, List<TrackerReference> requested,
                boolean includeAllAccountTrackers) {
            Map<String, TrackerDefinition> resolved = new LinkedHashMap<>();
            List<FieldViolation> violations = new ArrayList<>();
            for (int i = 0; i < requested.size(); i++) {
                TrackerReference reference = requested.get(i);
                if (reference.isReference()) {
                    TrackerDefinition found = managed.getOrDefault(account, Map.of()).get(reference.id());
                    if (found == null) {
                        violations.add(FieldViolation.of("trackers[" + i + "].id",
                                "no tracker with id '" + reference.id() + "'"));
                    } else {
                        resolved.put(found.id(), found);
                    }
                } else {
                    String id = "inline-" + UUID.nameUUIDFromBytes((reference.name() + reference.vocabulary()).getBytes());
                    resolved.put(id, new TrackerDefinition(id, reference.name(), reference.vocabulary(), null, 0));
                }
            }
            if (!violations.isEmpty()) {
                throw new InvalidInputException(violations);
            }
            if (includeAllAccountTrackers) {
                allOf(account).forEach(tracker -> resolved.putIfAbsent(tracker.id(), tracker));
            }
            return List.copyOf(resolved.values());
        }
    }
}
