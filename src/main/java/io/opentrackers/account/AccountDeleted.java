package io.opentrackers.account;

/**
 * An account is being deleted with everything it owns ({@code DELETE /admin/accounts/{appId}}). Published
 * synchronously inside the deleting transaction, after the account row is locked and before it goes: each feature's
 * plain {@code @EventListener} deletes the rows it keeps for the account in that same transaction, so the account and
 * all its data go together or not at all. Listeners that hold something in memory for the account (caches, open
 * streams) listen after the commit ({@code @TransactionalEventListener}): a delete that rolled back changed nothing.
 *
 * <p>Row locks: writers of an account's data lock its conversation before anything else of it (jobs and streams storing
 * hits, then the job row and the analytics rollups), so the listener that locks the account's conversations runs
 * first ({@link #LOCK_CONVERSATIONS_FIRST}); taking another feature's rows before would deadlock with such a writer.
 */
public record AccountDeleted(AccountId account, String appId) {

    /** The {@code @Order} of the listener that locks and deletes the account's conversations: before every other. */
    public static final int LOCK_CONVERSATIONS_FIRST = Integer.MIN_VALUE;
}
