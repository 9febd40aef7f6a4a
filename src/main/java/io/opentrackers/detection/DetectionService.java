package io.opentrackers.detection;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.SimilarityKernel;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackersChangedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * The {@link TrackerDetector} of the application: {@code matching/} does the pure work, this class (kept out of
 * {@code matching/} because it needs Spring and the database) supplies vocabulary vectors and caches indexes.
 *
 * <ul>
 *   <li>Managed trackers (version &gt; 0): vectors are looked up in memory, then in PostgreSQL, and only then
 *       embedded (and stored), so a restart re-embeds nothing and a model switch re-embeds each tracker once.</li>
 *   <li>Inline trackers (version 0) are embedded on the fly through an LRU phrase cache, never stored.</li>
 *   <li>Indexes are cached by the exact tracker list (managed trackers by id and version, inline ones by their
 *       whole definition), so any change yields a new index; {@link TrackersChangedEvent} re-builds the account's
 *       full index in the background (one queued warm-up per account), which is the per-account index most
 *       conversations use.</li>
 * </ul>
 */
@Service
class DetectionService implements TrackerDetector {

    private static final Logger log = LoggerFactory.getLogger(DetectionService.class);

    private final EmbeddingModel model;
    private final VocabularyEmbeddingRepository repository;
    private final ObjectProvider<TrackerCatalog> catalog;
    private final TrackerMatcher matcher;
    private final SimilarityKernel kernel;
    private final Map<VocabularyEmbeddingRepository.Key, float[][]> managedVectors = new ConcurrentHashMap<>();
    private final Map<AccountId, List<TrackerDefinition>> accountTrackers = new ConcurrentHashMap<>();
    private final PhraseCache inlineVectors;
    private final IndexCache indexes;
    /**
     * Accounts with a warm-up queued and not yet started. Creating 500 trackers in a few bulk calls used to queue a
     * warm-up per call, each building (and fitting a classifier for) an index that the next one replaced.
     */
    private final Set<AccountId> warmUpsQueued = ConcurrentHashMap.newKeySet();
    /** One background thread: warm-ups are queued, never run in parallel with each other. */
    private final ExecutorService warmer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "vocabulary-warmer");
        thread.setDaemon(true);
        return thread;
    });

    DetectionService(EmbeddingModel model, SimilarityKernel kernel, VocabularyEmbeddingRepository repository,
            ObjectProvider<TrackerCatalog> catalog, MatchingProperties properties) {
        this.model = model;
        this.kernel = kernel;
        this.repository = repository;
        this.catalog = catalog;
        this.matcher = new TrackerMatcher(model, properties.policyFor(model.id()));
        this.inlineVectors = new PhraseCache(properties.inlineCachePhrases());
        this.indexes = new IndexCache(properties.indexCachePhrases());
    }

    @jakarta.annotation.PreDestroy
    void stopWarmer() {
        warmer.shutdownNow();
    }

    @Override
    public List<TrackerHit> detect(List<TrackerDefinition> trackers, List<MessageText> messages) {
        if (trackers.isEmpty() || messages.isEmpty()) {
            return List.of();
        }
        return matcher.match(index(trackers), messages);
    }

    /** Re-reads an account's trackers after a change and prepares their vectors and index off the request path. */
    @EventListener
    void onTrackersChanged(TrackersChangedEvent event) {
        if (!warmUpsQueued.add(event.account())) {
            return; // the warm-up already queued reads the account's trackers when it runs, so it sees this change
        }
        warmer.execute(() -> {
            warmUpsQueued.remove(event.account());
            try {
                TrackerCatalog trackerCatalog = catalog.getIfAvailable();
                if (trackerCatalog == null) {
                    return;
                }
                List<TrackerDefinition> current = trackerCatalog.allOf(event.account());
                List<TrackerDefinition> previous = accountTrackers.put(event.account(), current);
                if (previous != null) {
                    previous.forEach(old -> managedVectors.remove(
                            new VocabularyEmbeddingRepository.Key(old.id(), old.version())));
                }
                if (!current.isEmpty()) {
                    index(current).prepare(matcher.policy());
                }
            } catch (RuntimeException e) {
                // detect() computes whatever is missing, so a failed warm-up only costs latency later
                log.warn("could not prepare the trackers of account {}", event.account().value(), e);
            }
        });
    }

    VocabularyIndex index(List<TrackerDefinition> trackers) {
        List<Object> cacheKey = cacheKey(trackers);
        VocabularyIndex cached = indexes.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Map<TrackerDefinition, float[][]> vectors = new HashMap<>();
        List<TrackerDefinition> managed = new ArrayList<>();
        List<TrackerDefinition> inline = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            float[][] known = tracker.version() > 0 ? managedVectors.get(key(tracker)) : null;
            if (known != null && known.length == tracker.vocabulary().size()) {
                vectors.put(tracker, known);
            } else if (tracker.version() > 0) {
                managed.add(tracker);
            } else {
                inline.add(tracker);
            }
        }
        vectors.putAll(managedVectors(managed));
        vectors.putAll(inlineVectors(inline));
        VocabularyIndex index = new VocabularyIndex(trackers.stream()
                .map(t -> new VocabularyIndex.EmbeddedTracker(t, vectors.get(t))).toList(), kernel);
        indexes.put(cacheKey, index);
        return index;
    }

    /**
     * What identifies a tracker list's index: a managed tracker by id and version (every change bumps the version),
     * an inline one by its whole definition. Hashing and comparing 500 full definitions (5,000 phrases) on every
     * streamed message took half of the detector's Java time; ids and versions take microseconds.
     */
    private static List<Object> cacheKey(List<TrackerDefinition> trackers) {
        List<Object> key = new ArrayList<>(trackers.size());
        for (TrackerDefinition tracker : trackers) {
            key.add(tracker.version() > 0 ? key(tracker) : tracker);
        }
        return key;
    }

    private Map<TrackerDefinition, float[][]> managedVectors(List<TrackerDefinition> trackers) {
        Map<TrackerDefinition, float[][]> result = new HashMap<>();
        if (trackers.isEmpty()) {
            return result;
        }
        Map<VocabularyEmbeddingRepository.Key, Map<String, float[]>> stored =
                repository.load(model.id(), trackers.stream().map(DetectionService::key).toList());
        List<TrackerDefinition> missing = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            Map<String, float[]> byPhrase = stored.getOrDefault(key(tracker), Map.of());
            if (byPhrase.keySet().containsAll(tracker.vocabulary())) {
                float[][] vectors = tracker.vocabulary().stream().map(byPhrase::get).toArray(float[][]::new);
                result.put(tracker, vectors);
                managedVectors.put(key(tracker), vectors);
            } else {
                missing.add(tracker);
            }
        }
        float[][] embedded = embedAll(missing);
        int offset = 0;
        for (TrackerDefinition tracker : missing) {
            int n = tracker.vocabulary().size();
            float[][] vectors = java.util.Arrays.copyOfRange(embedded, offset, offset + n);
            offset += n;
            result.put(tracker, vectors);
            managedVectors.put(key(tracker), vectors);
            Map<String, float[]> byPhrase = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                byPhrase.put(tracker.vocabulary().get(i), vectors[i]);
            }
            try {
                repository.store(model.id(), key(tracker), byPhrase);
            } catch (DataIntegrityViolationException e) {
                // the tracker was deleted meanwhile: its vectors serve this call and are not worth keeping
                log.debug("tracker {} vanished before its vectors were stored", tracker.id());
            }
        }
        return result;
    }

    private Map<TrackerDefinition, float[][]> inlineVectors(List<TrackerDefinition> trackers) {
        Map<TrackerDefinition, float[][]> result = new HashMap<>();
        List<String> unknown = trackers.stream().flatMap(t -> t.vocabulary().stream())
                .filter(phrase -> inlineVectors.get(phrase) == null).distinct().toList();
        if (!unknown.isEmpty()) {
            float[][] embedded = model.embed(unknown);
            for (int i = 0; i < unknown.size(); i++) {
                inlineVectors.put(unknown.get(i), embedded[i]);
            }
        }
        Map<String, float[]> fresh = new HashMap<>();
        for (int i = 0; i < unknown.size(); i++) {
            fresh.put(unknown.get(i), inlineVectors.get(unknown.get(i)));
        }
        for (TrackerDefinition tracker : trackers) {
            result.put(tracker, tracker.vocabulary().stream().map(phrase -> {
                float[] vector = inlineVectors.get(phrase);
                return vector != null ? vector : fresh.get(phrase);
            }).toArray(float[][]::new));
        }
        return result;
    }

    private float[][] embedAll(List<TrackerDefinition> trackers) {
        List<String> phrases = trackers.stream().flatMap(t -> t.vocabulary().stream()).toList();
        return phrases.isEmpty() ? new float[0][] : model.embed(phrases);
    }

    private static VocabularyEmbeddingRepository.Key key(TrackerDefinition tracker) {
        return new VocabularyEmbeddingRepository.Key(tracker.id(), tracker.version());
    }

    /** Bounded LRU of phrase vectors for inline trackers. */
    static final class PhraseCache {
        private final Map<String, float[]> entries;

        PhraseCache(int capacity) {
            entries = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                    return size() > capacity;
                }
            };
        }

        synchronized float[] get(String phrase) {
            return entries.get(phrase);
        }

        synchronized void put(String phrase, float[] vector) {
            entries.put(phrase, vector);
        }
    }

    /**
     * LRU of built indexes, bounded by their total number of phrases (their memory). Dropped indexes are released
     * at once: a large one holds a native packed matrix that the garbage collector might not reclaim for a long
     * time (calls still using a dropped index finish correctly).
     */
    static final class IndexCache {
        private final int maxPhrases;
        private final LinkedHashMap<List<?>, VocabularyIndex> entries =
                new LinkedHashMap<>(16, 0.75f, true);
        private long phrases;

        IndexCache(int maxPhrases) {
            this.maxPhrases = maxPhrases;
        }

        synchronized VocabularyIndex get(List<?> key) {
            return entries.get(key);
        }

        synchronized void put(List<?> key, VocabularyIndex index) {
            VocabularyIndex previous = entries.put(List.copyOf(key), index);
            phrases += index.phraseCount() - (previous == null ? 0 : previous.phraseCount());
            if (previous != null && previous != index) {
                previous.release();
            }
            var eldest = entries.entrySet().iterator();
            while (phrases > maxPhrases && entries.size() > 1 && eldest.hasNext()) {
                var entry = eldest.next();
                phrases -= entry.getValue().phraseCount();
                eldest.remove();
                entry.getValue().release();
            }
        }
    }
}
