package io.opentrackers.detection;

import io.opentrackers.account.AccountDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A deleted account's calibrated thresholds go in its deleting transaction (they have no foreign key, V14); its index
 * and vocabulary vectors kept in memory are dropped after the commit. Its vocabulary vectors in the database go with
 * its trackers.
 */
@Component
class DeletedAccountDetection {

    private final TrackerThresholdRepository thresholds;
    private final VocabularyWarmUp warmUp;

    DeletedAccountDetection(TrackerThresholdRepository thresholds, VocabularyWarmUp warmUp) {
        this.thresholds = thresholds;
        this.warmUp = warmUp;
    }

    @EventListener
    void accountDeleted(AccountDeleted event) {
        thresholds.deleteAllOf(event.account());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void forgetDeletedAccount(AccountDeleted event) {
        warmUp.forget(event.account());
    }
}
