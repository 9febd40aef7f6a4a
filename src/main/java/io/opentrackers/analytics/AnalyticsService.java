package io.opentrackers.analytics;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.tracker.TrackerCatalog;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tracker analytics over the account's stored conversations, read from the daily rollups. */
@Service
class AnalyticsService {

    /** Phrases listed per tracker. */
    static final int TOP_PHRASES = 10;

    private final AnalyticsRepository repository;
    private final TrackerCatalog catalog;

    AnalyticsService(AnalyticsRepository repository, TrackerCatalog catalog) {
        this.repository = repository;
        this.catalog = catalog;
    }

    @Transactional(readOnly = true)
    TrackerAnalytics trackers(AccountId account, AnalyticsQuery query) {
        Map<String, String> names = trackerNames(account, query);
        List<AnalyticsRepository.BucketRow> rows =
                repository.buckets(account, query.from(), query.to(), query.interval().wire(),
                        query.trackerIds());
        if (query.trackerIds() == null) {
            // trackers deleted since, and inline ones of jobs and streams, are listed under their latest stored names
            Map<String, AnalyticsRepository.BucketRow> latest = new HashMap<>();
            for (AnalyticsRepository.BucketRow row : rows) {
                if (!names.containsKey(row.trackerId())) {
                    latest.merge(row.trackerId(), row, (a, b) -> a.bucket().isAfter(b.bucket()) ? a : b);
                }
            }
            latest.values().stream()
                    .sorted(Comparator.comparing(AnalyticsRepository.BucketRow::name)
                            .thenComparing(AnalyticsRepository.BucketRow::trackerId))
                    .forEach(row -> names.put(row.trackerId(), row.name()));
        }
        Map<String, Map<LocalDate, AnalyticsRepository.BucketRow>> byTracker = new HashMap<>();
        for (AnalyticsRepository.BucketRow row : rows) {
            byTracker.computeIfAbsent(row.trackerId(), id -> new HashMap<>()).put(row.bucket(), row);
        }
        Map<String, List<TrackerAnalytics.PhraseHits>> phrases = new HashMap<>();
        for (AnalyticsRepository.PhraseRow row : repository.topPhrases(account, query.from(), query.to(),
                TOP_PHRASES, query.trackerIds())) {
            phrases.computeIfAbsent(row.trackerId(), id -> new ArrayList<>())
                    .add(new TrackerAnalytics.PhraseHits(row.phrase(), row.hits()));
        }
        List<LocalDate> buckets = query.buckets();
        List<TrackerAnalytics.TrackerFigures> trackers = new ArrayList<>(names.size());
        names.forEach((id, name) -> trackers.add(figures(id, name, buckets,
                byTracker.getOrDefault(id, Map.of()), phrases.getOrDefault(id, List.of()))));
        return new TrackerAnalytics(query.fromInstant(), query.toInstant(), query.interval().wire(), trackers);
    }

    /**
     * Id → name of the trackers to list, in order: the requested ones, else the account's managed trackers in
     * creation order. A requested id that is neither managed nor found in stored hits is refused.
     */
    private Map<String, String> trackerNames(AccountId account, AnalyticsQuery query) {
        Map<String, String> managed = new LinkedHashMap<>();
        for (TrackerDefinition tracker : catalog.allOf(account)) {
            managed.put(tracker.id(), tracker.name());
        }
        if (query.trackerIds() == null) {
            return managed;
        }
        Map<String, String> stored = repository.storedNames(account,
                query.trackerIds().stream().filter(id -> !managed.containsKey(id)).toList());
        Map<String, String> names = new LinkedHashMap<>();
        List<FieldViolation> violations = new ArrayList<>();
        for (String id : query.trackerIds()) {
            String name = managed.containsKey(id) ? managed.get(id) : stored.get(id);
            if (name == null) {
                violations.add(FieldViolation.of("trackerId", "no tracker '" + id + "' in this account (neither a "
                        + "managed tracker nor one with stored hits)"));
            } else {
                names.put(id, name);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return names;
    }

    private static TrackerAnalytics.TrackerFigures figures(String id, String name, List<LocalDate> buckets,
            Map<LocalDate, AnalyticsRepository.BucketRow> rows, List<TrackerAnalytics.PhraseHits> phrases) {
        int conversations = 0;
        int hits = 0;
        int agent = 0;
        int customer = 0;
        List<TrackerAnalytics.Bucket> series = new ArrayList<>(buckets.size());
        for (LocalDate bucket : buckets) {
            AnalyticsRepository.BucketRow row = rows.get(bucket);
            int bucketHits = row == null ? 0 : row.hits();
            int bucketConversations = row == null ? 0 : row.conversations();
            series.add(new TrackerAnalytics.Bucket(bucket.atStartOfDay().toInstant(ZoneOffset.UTC), bucketHits,
                    bucketConversations));
            // a conversation is counted on its start day only, so bucket counts add up to the range's
            conversations += bucketConversations;
            hits += bucketHits;
            agent += row == null ? 0 : row.agentHits();
            customer += row == null ? 0 : row.customerHits();
        }
        return new TrackerAnalytics.TrackerFigures(id, name, conversations, hits,
                new TrackerAnalytics.BySpeaker(agent, customer, hits - agent - customer), series, phrases);
    }
}
