package io.opentrackers.job;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Webhook deliveries as rows: a status change and its notification commit together, so a notification is
 * neither lost in a crash nor sent for a change that rolled back. {@link WebhookDispatcher} sends them. A
 * notification outlives its job if the job is deleted before it was sent ({@link #jobsDeleted}).
 */
@Repository
class WebhookOutbox {

    record Delivery(long id, String jobId, UUID accountId, String url, String payload, int attempts) {
    }

    private final JdbcClient jdbc;

    WebhookOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Queues {@code {"jobId","status"}} for the job's webhook, if it has one; call inside the status change's transaction. */
    void enqueue(String jobId, String webhookUrl, JobStatus status) {
        if (webhookUrl == null) {
            return;
        }
        // both values are ids and enum names we generated, never user text, so no escaping is needed
        String payload = "{\"jobId\":\"" + jobId + "\",\"status\":\"" + status.wire() + "\"}";
        jdbc.sql("""
                insert into webhook_delivery (job_id, account_id, url, payload, state, next_attempt_at, created_on)
                select id, account_id, :url, :payload, 'pending', now(), now() from job where id = :job""")
                .param("job", jobId).param("url", webhookUrl).param("payload", payload).update();
    }

    /**
     * Claims up to {@code limit} due deliveries for one attempt each, at most one per account, and none of an account
     * that has a delivery claimed already (here or on another instance) or is in {@code busyAccounts}: an account's
     * notifications are sent one at a time, so a receiver that hangs holds one sender, never all of them. Accounts
     * take turns: the one whose last claim is oldest (or that was never served) goes first, so an account with a
     * long queue of old notifications cannot keep the senders from one whose notification fell due just now.
     *
     * <p>A claim lasts {@code claimFor}, which must cover one attempt: if this instance dies, the delivery is due again
     * once the claim has run out. A delivery also waits while an older one of the same job is pending, so a receiver
     * sees a job's statuses in order.
     */
    List<Delivery> claimDue(int limit, Duration claimFor, Set<UUID> busyAccounts) {
        // DISTINCT ON picks each account's oldest due delivery; FOR UPDATE cannot be combined with it, so rows are
        // not locked while choosing. The UPDATE re-checks the claim on the current row version (PostgreSQL re-reads a
        // row another transaction changed meanwhile), so two instances racing for a row cannot both claim it.
        return jdbc.sql("""
                with heads as (
                    select distinct on (w.account_id) w.id, w.account_id, w.next_attempt_at
                    from webhook_delivery w
                    where w.state = 'pending' and w.next_attempt_at <= now()
                      and (w.claimed_until is null or w.claimed_until <= now())
                      and not (w.account_id::text = any(string_to_array(:busy, ',')))
                      and not exists (select 1 from webhook_delivery e
                                      where e.job_id = w.job_id and e.state = 'pending' and e.id < w.id)
                      and not exists (select 1 from webhook_delivery c
                                      where c.account_id = w.account_id and c.state = 'pending'
                                        and c.claimed_until > now())
                    order by w.account_id, w.next_attempt_at, w.id),
                chosen as (
                    select h.id from heads h
                    order by (select max(l.last_claimed_at) from webhook_delivery l
                              where l.account_id = h.account_id) nulls first, h.next_attempt_at, h.id
                    limit :limit)
                update webhook_delivery d set attempts = d.attempts + 1, last_claimed_at = now(),
                    claimed_until = now() + make_interval(secs => :claim)
                from chosen
                where d.id = chosen.id and d.state = 'pending'
                  and (d.claimed_until is null or d.claimed_until <= now())
                returning d.id, d.job_id, d.account_id, d.url, d.payload, d.attempts""")
                .param("busy", String.join(",", busyAccounts.stream().map(UUID::toString).toList()))
                .param("claim", claimFor.toMillis() / 1000.0).param("limit", limit)
                .query((rs, row) -> new Delivery(rs.getLong("id"), rs.getString("job_id"),
                        rs.getObject("account_id", UUID.class), rs.getString("url"), rs.getString("payload"),
                        rs.getInt("attempts")))
                .list();
    }

    /** Undoes the claim of deliveries that were not attempted (the service is stopping): due again now. */
    void handBack(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update webhook_delivery set attempts = attempts - 1, claimed_until = null, next_attempt_at = now()
                where id in (:ids) and state = 'pending'""")
                .param("ids", ids).update();
    }

    void delivered(long id) {
        int updated = jdbc.sql("""
                update webhook_delivery set state = 'delivered', last_error = null, claimed_until = null
                where id = :id and not job_deleted""")
                .param("id", id).update();
        if (updated == 0) {
            forgetOfDeletedJob(id);
        }
    }

    /**
     * The jobs of a conversation being deleted (call in the deleting transaction, before its rows go): what was sent
     * or abandoned goes now; what is pending stays to be sent, marked, and goes once sent or abandoned. The pending
     * rows are marked first: a sender recording an outcome meanwhile either did so before (then its row is no longer
     * pending and goes with the second statement) or waits for this transaction and then finds the mark.
     */
    void jobsDeleted(List<String> jobIds) {
        if (jobIds.isEmpty()) {
            return;
        }
        jdbc.sql("update webhook_delivery set job_deleted = true where job_id in (:ids) and state = 'pending'")
                .param("ids", jobIds).update();
        jdbc.sql("delete from webhook_delivery where job_id in (:ids) and state <> 'pending'")
                .param("ids", jobIds).update();
    }

    /** A delivery whose job was deleted is kept only while it is owed to the receiver. */
    private void forgetOfDeletedJob(long id) {
        jdbc.sql("delete from webhook_delivery where id = :id and job_deleted").param("id", id).update();
    }

    void failed(long id, String error, Instant retryAt) {
        jdbc.sql("""
                update webhook_delivery set last_error = :error, next_attempt_at = :at, claimed_until = null
                where id = :id""")
                .param("error", error).param("at", Timestamp.from(retryAt)).param("id", id).update();
    }

    void abandoned(long id, String error) {
        int updated = jdbc.sql("""
                update webhook_delivery set state = 'abandoned', last_error = :error, claimed_until = null
                where id = :id and not job_deleted""")
                .param("error", error).param("id", id).update();
        if (updated == 0) {
            forgetOfDeletedJob(id);
        }
    }
}
