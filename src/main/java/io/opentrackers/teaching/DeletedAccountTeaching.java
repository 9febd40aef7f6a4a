package io.opentrackers.teaching;

import io.opentrackers.account.AccountDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A deleted account's sentence vectors go in its deleting transaction (most went with their messages already; this
 * also takes those a suggestion request stored while the messages were being deleted), and what teaching keeps of it
 * in memory (its sentences with their vectors, its quality estimates) is dropped after the commit. Its examples go
 * with its trackers.
 */
@Component
class DeletedAccountTeaching {

    private final MessageVectorRepository vectors;
    private final SentenceVectors sentences;
    private final QualityEstimates estimates;

    DeletedAccountTeaching(MessageVectorRepository vectors, SentenceVectors sentences, QualityEstimates estimates) {
        this.vectors = vectors;
        this.sentences = sentences;
        this.estimates = estimates;
    }

    @EventListener
    void accountDeleted(AccountDeleted event) {
        vectors.deleteAllOf(event.account());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void forgetDeletedAccount(AccountDeleted event) {
        sentences.forget(event.account());
        estimates.forget(event.account());
    }
}
