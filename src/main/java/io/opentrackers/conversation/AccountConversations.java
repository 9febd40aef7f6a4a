package io.opentrackers.conversation;

import io.opentrackers.account.AccountDeleted;
import io.opentrackers.account.AccountId;
import io.opentrackers.account.AccountUsage;
import java.util.Collection;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The conversations of an account, as operators see them: how many it has, and that they go with it. */
@Component
class AccountConversations implements AccountUsage {

    private final ConversationRepository repository;

    AccountConversations(ConversationRepository repository) {
        this.repository = repository;
    }

    @Override
    public String name() {
        return "conversations";
    }

    @Override
    public Map<AccountId, Long> countsOf(Collection<AccountId> accounts) {
        return repository.countsOf(accounts);
    }

    /**
     * In the account's deleting transaction, before any other feature deletes its rows: the account's conversations
     * are locked first, as every writer of a conversation locks it first (a job storing hits, then its row and the
     * analytics rollups; a stream), so the delete waits for such a writer to commit and then deletes what it stored,
     * and a writer coming later finds the conversation gone (as after {@code DELETE /v1/conversations/{id}}: a job
     * stops as "deleted", a stream is told). Their messages, hits, sentence vectors and jobs go by cascade (V4, V13).
     */
    @EventListener
    @Order(AccountDeleted.LOCK_CONVERSATIONS_FIRST)
    void accountDeleted(AccountDeleted event) {
        repository.deleteAllOf(event.account());
    }
}
