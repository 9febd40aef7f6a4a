package io.opentrackers.job;

import io.opentrackers.account.AccountDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * An account's jobs go with its conversations (cascade, locked first by the conversation feature, so a queued job is
 * never claimed and a running one stops as "deleted"); here, in the same transaction, what the job feature keeps for
 * the account beyond them: its webhook notifications, also those still owed (unlike a conversation delete, there is
 * nobody left they are owed to: the team is offboarded), and its webhook signing secret. A notification being sent
 * meanwhile finds its row gone and records nothing ({@link WebhookOutbox} updates by id).
 */
@Component
class DeletedAccountJobs {

    private final JdbcClient jdbc;

    DeletedAccountJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void accountDeleted(AccountDeleted event) {
        jdbc.sql("delete from job where account_id = ?").param(event.account().value()).update();
        jdbc.sql("delete from webhook_delivery where account_id = ?").param(event.account().value()).update();
        jdbc.sql("delete from webhook_secret where account_id = ?").param(event.account().value()).update();
    }
}
