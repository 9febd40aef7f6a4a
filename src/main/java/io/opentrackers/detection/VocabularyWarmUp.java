package io.opentrackers.detection;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.VocabularyIndex;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackersChangedEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Prepares an account's vectors and full index off the request path after its trackers changed, so that the next
 * conversation finds them ready. Detection computes whatever is missing anyway: a warm-up only moves the work.
 */
@Component
class VocabularyWarmUp {

    private static final Logger log = LoggerFactory.getLogger(VocabularyWarmUp.class);

    private final TrackerCatalog catalog;
    private final VocabularyVectors vectors;
    private final IndexCache indexes;
    private final MatchingPolicy policy;
    private final TaskExecutor executor;
    private final TrackerThresholds thresholds;
    /** The trackers each account had at its last warm-up, to drop what a change superseded. */
    private final Map<AccountId, List<TrackerDefinition>> warmed = new ConcurrentHashMap<>();
    /**
     * Accounts with a warm-up queued and not yet started. Creating hundreds of trackers in a few bulk calls would
     * otherwise queue a warm-up per call, each building (and fitting a classifier for) an index the next replaces.
     */
    private final Set<AccountId> queued = ConcurrentHashMap.newKeySet();

    VocabularyWarmUp(TrackerCatalog catalog, VocabularyVectors vectors, IndexCache indexes, ModelDescriptor model,
            MatchingProperties properties, @Qualifier(DetectionConfiguration.WARM_UP_EXECUTOR) TaskExecutor executor,
            TrackerThresholds thresholds) {
        this.thresholds = thresholds;
        this.catalog = catalog;
        this.vectors = vectors;
        this.indexes = indexes;
        this.policy = properties.policyFor(model);
        this.executor = executor;
    }

    /**
     * Embeds the calibration's reference sentences at start-up, off the request path, so that the first index built
     * does not wait for them.
     */
    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        try {
            executor.execute(() -> {
                try {
                    thresholds.evidence();
                } catch (RuntimeException e) {
                    log.warn("could not embed the calibration's reference sentences ahead: the first index will", e);
                }
            });
        } catch (TaskRejectedException e) {
            log.warn("reference sentences not embedded ahead ({}): the first index built embeds them", e.getMessage());
        }
    }

    /**
     * After the change committed (the event is published inside the change's transaction): a warm-up started
     * earlier could read the trackers as they were, or a change that then rolled back. Without a transaction (fallback
     * execution), at once.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onTrackersChanged(TrackersChangedEvent event) {
        AccountId account = event.account();
        if (!queued.add(account)) {
            return; // the warm-up already queued reads the account's trackers when it runs, so it sees this change
        }
        try {
            executor.execute(() -> {
                queued.remove(account);
                warmUp(account);
            });
        } catch (TaskRejectedException e) {
            queued.remove(account);
            log.warn("warm-up of account {} skipped ({}): its next conversation builds the index",
                    account.value(), e.getMessage());
        }
    }

    /**
     * Drops what was prepared for a deleted account: every index naming its trackers (released at once: they may hold
     * native matrices) and its trackers' vectors. A warm-up of it still running finds no trackers and keeps nothing.
     */
    void forget(AccountId account) {
        queued.remove(account);
        List<TrackerDefinition> previous = warmed.remove(account);
        if (previous != null) {
            indexes.invalidateSuperseded(previous, List.of());
            vectors.forgetSuperseded(previous, List.of());
        }
    }

    private void warmUp(AccountId account) {
        try {
            List<TrackerDefinition> current = catalog.allOf(account);
            // an account without trackers (or deleted) keeps no entry
            List<TrackerDefinition> previous = current.isEmpty() ? warmed.remove(account)
                    : warmed.put(account, current);
            if (previous != null && !previous.equals(current)) {
                // dropped rather than left to the cache's eviction, whose admission weighs how often an entry was
                // used: the stale index of a busy account would otherwise hold its place against the new one
                indexes.invalidateSuperseded(previous, current);
                vectors.forgetSuperseded(previous, current);
            }
            if (!current.isEmpty()) {
                VocabularyIndex index = indexes.indexOf(account, current);
                index.prepare(policy);
                // the thresholds of the account's whole set (what a conversation without a tracker list uses), kept
                // with the model id so that they survive a restart and users can read them with their trackers
                thresholds.record(account, current, index);
            } else {
                thresholds.forget(account);
            }
        } catch (RuntimeException e) {
            // detection computes whatever is missing, so a failed warm-up only costs latency later
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e, "could not prepare the trackers of account {}",
                    account.value());
        }
    }
}
