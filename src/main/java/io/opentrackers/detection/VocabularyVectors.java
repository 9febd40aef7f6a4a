package io.opentrackers.detection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.opentrackers.account.AccountId;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.VocabularyIndex.EmbeddedTracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The vocabulary vectors of trackers (and of their excluded phrases, {@link TrackerDefinition#embeddedPhrases()})
 * under the configured model, embedding as little as possible.
 *
 * <ul>
 *   <li>Managed trackers (version &gt; 0): looked up in memory, then in PostgreSQL, and only then embedded (and
 *       stored), so a restart re-embeds nothing and a model switch re-embeds each tracker once.</li>
 *   <li>Inline trackers (version 0) are embedded on the fly through a bounded phrase cache per account, never
 *       stored: nothing identifies them across requests but their content.</li>
 * </ul>
 */
@Component
class VocabularyVectors {

    private static final Logger log = LoggerFactory.getLogger(VocabularyVectors.class);

    private final EmbeddingModel model;
    private final VocabularyEmbeddingRepository repository;
    /**
     * One version per tracker, the newest seen: a version a conversation used between two warm-ups (changed again
     * before the warm-up ran, or changed on another instance, which this one never hears of) replaces the one held
     * rather than staying beside it for good. Bounded by vectors like the index cache, for the trackers deleted on
     * other instances; a warm-up drops the ones its account's change deleted at once.
     */
    private final Cache<String, Held> managed;
    /**
     * Inline phrases by account: shared, a phrase another account sent moments ago would be answered faster, and an
     * account could confirm a guess of another's inline vocabulary (docs/security.md).
     */
    private final Cache<AccountPhrase, float[]> inline;

    VocabularyVectors(EmbeddingModel model, VocabularyEmbeddingRepository repository, MatchingProperties properties,
            MeterRegistry meters) {
        this.model = model;
        this.repository = repository;
        this.managed = Caffeine.newBuilder()
                .maximumWeight(properties.indexCachePhrases())
                .weigher((String id, Held held) -> held.vectors().length)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, managed, "trackers.tracker-vectors");
        this.inline = Caffeine.newBuilder()
                .maximumSize(properties.inlineCachePhrases())
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, inline, "trackers.inline-phrases");
    }

    /**
     * Each of the account's trackers with one vector per embedded phrase (vocabulary, excluded phrases, examples), in
     * the given order.
     */
    List<EmbeddedTracker> of(AccountId account, List<TrackerDefinition> trackers) {
        Map<TrackerDefinition, float[][]> vectors = new HashMap<>();
        List<TrackerDefinition> unknownManaged = new ArrayList<>();
        List<TrackerDefinition> inlineTrackers = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            if (tracker.version() == 0) {
                inlineTrackers.add(tracker);
                continue;
            }
            Held known = managed.getIfPresent(tracker.id());
            if (known != null && known.version() == tracker.version()
                    && known.vectors().length == tracker.embeddedPhrases().size()) {
                vectors.put(tracker, known.vectors());
            } else {
                unknownManaged.add(tracker);
            }
        }
        vectors.putAll(managedVectors(unknownManaged));
        vectors.putAll(inlineVectors(account, inlineTrackers));
        // stored and cached as embedded; a phrase the model cannot read is matched only literally
        return trackers.stream().map(t -> EmbeddedTracker.split(t, model.meaning(t.embeddedPhrases(), vectors.get(t))))
                .toList();
    }

    /**
     * Drops from memory the vectors of the previous trackers of an account that a change superseded (a new version,
     * or deleted); the trackers still current keep theirs, so a warm-up re-reads nothing it already has.
     */
    void forgetSuperseded(List<TrackerDefinition> previous, List<TrackerDefinition> current) {
        Set<VocabularyEmbeddingRepository.Key> kept =
                current.stream().map(VocabularyVectors::key).collect(Collectors.toSet());
        previous.stream().map(VocabularyVectors::key).filter(k -> !kept.contains(k)).forEach(superseded ->
                managed.asMap().computeIfPresent(superseded.trackerId(),
                        (id, held) -> held.version() <= superseded.version() ? null : held));
    }

    /** Holds a tracker version's vectors unless a newer version of the tracker is held already. */
    private void hold(TrackerDefinition tracker, float[][] vectors) {
        managed.asMap().merge(tracker.id(), new Held(tracker.version(), vectors),
                (held, offered) -> offered.version() >= held.version() ? offered : held);
    }

    /** A tracker version's vectors, one per embedded phrase. */
    private record Held(long version, float[][] vectors) {
    }

    /** Vectors of managed trackers not in memory: from the database, else embedded in one call and stored. */
    private Map<TrackerDefinition, float[][]> managedVectors(List<TrackerDefinition> trackers) {
        Map<TrackerDefinition, float[][]> result = new HashMap<>();
        if (trackers.isEmpty()) {
            return result;
        }
        Map<VocabularyEmbeddingRepository.Key, Map<String, float[]>> stored =
                repository.load(model.id(), trackers.stream().map(VocabularyVectors::key).toList());
        List<TrackerDefinition> missing = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            Map<String, float[]> byPhrase = stored.getOrDefault(key(tracker), Map.of());
            if (byPhrase.keySet().containsAll(tracker.embeddedPhrases())) {
                float[][] vectors = tracker.embeddedPhrases().stream().map(byPhrase::get).toArray(float[][]::new);
                result.put(tracker, vectors);
                hold(tracker, vectors);
            } else {
                missing.add(tracker);
            }
        }
        // a new version (e.g. one more example) re-embeds only the texts no earlier version of the tracker had
        Map<String, Map<String, float[]>> earlier = missing.isEmpty() ? Map.of()
                : repository.loadAnyVersion(model.id(), missing.stream().map(TrackerDefinition::id).toList());
        List<String> phrases = missing.stream()
                .flatMap(t -> t.embeddedPhrases().stream()
                        .filter(x -> !earlier.getOrDefault(t.id(), Map.of()).containsKey(x)))
                .distinct().toList();
        float[][] embeddedNow = phrases.isEmpty() ? new float[0][] : model.embed(phrases);
        Map<String, float[]> fresh = new HashMap<>();
        for (int i = 0; i < phrases.size(); i++) {
            fresh.put(phrases.get(i), embeddedNow[i]);
        }
        for (TrackerDefinition tracker : missing) {
            List<String> texts = tracker.embeddedPhrases();
            int n = texts.size();
            Map<String, float[]> old = earlier.getOrDefault(tracker.id(), Map.of());
            float[][] vectors = texts.stream().map(x -> old.containsKey(x) ? old.get(x) : fresh.get(x))
                    .toArray(float[][]::new);
            result.put(tracker, vectors);
            Map<String, float[]> byPhrase = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                byPhrase.put(texts.get(i), vectors[i]);
            }
            // a tracker deleted since (a stream keeps the trackers it started with) gets its vectors for this call
            // only: held in memory, nothing would ever drop them, as no warm-up of its account names it again
            boolean kept;
            try {
                kept = repository.store(model.id(), key(tracker), byPhrase);
            } catch (DataIntegrityViolationException e) {
                kept = false;
            }
            if (kept) {
                hold(tracker, vectors);
            } else {
                log.debug("tracker {} was deleted: its vectors serve this call and are not kept", tracker.id());
            }
        }
        return result;
    }

    /** Vectors of inline trackers: the phrases not cached are embedded together, in one call to the model. */
    private Map<TrackerDefinition, float[][]> inlineVectors(AccountId account, List<TrackerDefinition> trackers) {
        Map<TrackerDefinition, float[][]> result = new HashMap<>();
        if (trackers.isEmpty()) {
            return result;
        }
        List<AccountPhrase> phrases = trackers.stream().flatMap(t -> t.embeddedPhrases().stream())
                .map(phrase -> new AccountPhrase(account, phrase)).toList();
        // the returned map holds every phrase, also those the bound evicts again at once
        Map<AccountPhrase, float[]> vectors = inline.getAll(phrases, missing -> {
            List<AccountPhrase> unknown = List.copyOf(missing);
            float[][] embedded = model.embed(unknown.stream().map(AccountPhrase::phrase).toList());
            Map<AccountPhrase, float[]> fresh = new HashMap<>();
            for (int i = 0; i < unknown.size(); i++) {
                fresh.put(unknown.get(i), embedded[i]);
            }
            return fresh;
        });
        for (TrackerDefinition tracker : trackers) {
            result.put(tracker, tracker.embeddedPhrases().stream()
                    .map(phrase -> vectors.get(new AccountPhrase(account, phrase))).toArray(float[][]::new));
        }
        return result;
    }

    private record AccountPhrase(AccountId account, String phrase) {
    }

    /** The versions of the tracker whose vectors are held in memory, oldest first. */
    List<Long> versionsInMemory(String trackerId) {
        Held held = managed.getIfPresent(trackerId);
        return held == null ? List.of() : List.of(held.version());
    }

    static VocabularyEmbeddingRepository.Key key(TrackerDefinition tracker) {
        return new VocabularyEmbeddingRepository.Key(tracker.id(), tracker.version());
    }
}
