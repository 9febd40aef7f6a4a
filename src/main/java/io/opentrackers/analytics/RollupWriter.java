package io.opentrackers.analytics;

import io.opentrackers.account.AccountDeleted;
import io.opentrackers.conversation.ConversationDeleted;
import io.opentrackers.conversation.HitsStored;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the daily rollups in step with the stored hits: it runs inside the transaction that stores them, or deletes
 * their conversation (plain, synchronous listeners), so rollups and hits commit or roll back together.
 */
@Component
class RollupWriter {

    private final AnalyticsRepository repository;

    RollupWriter(AnalyticsRepository repository) {
        this.repository = repository;
    }

    @EventListener
    void hitsStored(HitsStored event) {
        Deltas deltas = Deltas.of(event.hits());
        LocalDate day = LocalDate.ofInstant(event.conversationStart(), ZoneOffset.UTC);
        repository.addDaily(event.account(), day, deltas.trackers());
        repository.addPhrases(event.account(), day, deltas.phrases());
    }

    /**
     * Takes back what a deleted conversation's hits added, in the deleting transaction: the same deltas, on the same
     * day (its start cannot have changed: its first message never does). Rows left with no hit go, so that a tracker
     * only that conversation hit (an inline one, say) is no longer listed.
     */
    @EventListener
    void conversationDeleted(ConversationDeleted event) {
        if (event.hits().isEmpty()) {
            return;
        }
        Deltas deltas = Deltas.of(event.hits());
        LocalDate day = LocalDate.ofInstant(event.conversationStart(), ZoneOffset.UTC);
        repository.subtractDaily(event.account(), day, deltas.trackers());
        repository.subtractPhrases(event.account(), day, deltas.phrases());
    }

    /** In the account's deleting transaction: all its rollups (its conversations were locked before, V11). */
    @EventListener
    void accountDeleted(AccountDeleted event) {
        repository.deleteAllOf(event.account());
    }

    /**
     * What hits add to a day's rows, per tracker and per phrase; sorted, so that every writer takes the rollup rows'
     * locks in the same order (no deadlock between two conversations of one account and day, stored or deleted).
     */
    private record Deltas(Map<String, AnalyticsRepository.TrackerDelta> trackers,
                          Map<AnalyticsRepository.PhraseKey, Integer> phrases) {

        static Deltas of(List<HitsStored.Hit> hits) {
            Map<String, AnalyticsRepository.TrackerDelta> trackers = new TreeMap<>();
            Map<AnalyticsRepository.PhraseKey, Integer> phrases = new TreeMap<>();
            for (HitsStored.Hit hit : hits) {
                trackers.merge(hit.trackerId(), AnalyticsRepository.TrackerDelta.of(hit),
                        AnalyticsRepository.TrackerDelta::plus);
                if (hit.phraseCounted()) { // one phrase per hit: the one that matched best
                    phrases.merge(new AnalyticsRepository.PhraseKey(hit.trackerId(), hit.phrase()), 1,
                            Integer::sum);
                }
            }
            return new Deltas(trackers, phrases);
        }
    }
}
