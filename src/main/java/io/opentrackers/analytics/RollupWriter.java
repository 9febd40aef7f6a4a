package io.opentrackers.analytics;

import io.opentrackers.conversation.HitsStored;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the daily rollups in step with the stored hits: it runs inside the transaction that stores them (a plain,
 * synchronous listener), so rollups and hits commit or roll back together.
 */
@Component
class RollupWriter {

    private final AnalyticsRepository repository;

    RollupWriter(AnalyticsRepository repository) {
        this.repository = repository;
    }

    @EventListener
    void hitsStored(HitsStored event) {
        LocalDate day = LocalDate.ofInstant(event.conversationStart(), ZoneOffset.UTC);
        // sorted, so that every writer takes the rollup rows' locks in the same order (no deadlock between two
        // conversations of one account and day)
        Map<String, AnalyticsRepository.TrackerDelta> trackers = new TreeMap<>();
        Map<AnalyticsRepository.PhraseKey, Integer> phrases = new TreeMap<>();
        for (HitsStored.Hit hit : event.hits()) {
            trackers.merge(hit.trackerId(), AnalyticsRepository.TrackerDelta.of(hit),
                    AnalyticsRepository.TrackerDelta::plus);
            phrases.merge(new AnalyticsRepository.PhraseKey(hit.trackerId(), hit.phrase()), 1, Integer::sum);
        }
        repository.addDaily(event.account(), day, trackers);
        repository.addPhrases(event.account(), day, phrases);
    }
}
