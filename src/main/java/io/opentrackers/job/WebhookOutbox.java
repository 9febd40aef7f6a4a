package io.opentrackers.job;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Webhook deliveries as rows: a status change and its notification commit together, so a notification is
 * neither lost in a crash nor sent for a change that rolled back. {@link WebhookDispatcher} sends them.
 */
@Repository
class WebhookOutbox {

    record Delivery(long id, String jobId, String url, String payload, int attempts) {
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
                insert into webhook_delivery (job_id, url, payload, state, next_attempt_at, created_on)
                values (:job, :url, :payload, 'pending', now(), now())""")
                .param("job", jobId).param("url", webhookUrl).param("payload", payload).update();
    }

    /**
     * Claims up to {@code limit} due deliveries by pushing their next attempt past {@code claimFor}, so that no
     * other instance sends them meanwhile. A delivery waits while an older one of the same job is pending, so a
     * receiver sees a job's statuses in order.
     */
    List<Delivery> claimDue(int limit, Duration claimFor) {
        return jdbc.sql("""
                update webhook_delivery d set attempts = d.attempts + 1,
                    next_attempt_at = now() + make_interval(secs => :claim)
                where d.id in (
                    select id from webhook_delivery w
                    where w.state = 'pending' and w.next_attempt_at <= now()
                      and not exists (select 1 from webhook_delivery e
                                      where e.job_id = w.job_id and e.state = 'pending' and e.id < w.id)
                    order by w.next_attempt_at
                    limit :limit
                    for update skip locked)
                returning d.id, d.job_id, d.url, d.payload, d.attempts""")
                .param("claim", claimFor.toMillis() / 1000.0).param("limit", limit)
                .query((rs, row) -> new Delivery(rs.getLong("id"), rs.getString("job_id"), rs.getString("url"),
                        rs.getString("payload"), rs.getInt("attempts")))
                .list();
    }

    /** Undoes the claim of deliveries that were not attempted (the service is stopping): due again now. */
    void handBack(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update webhook_delivery set attempts = attempts - 1, next_attempt_at = now()
                where id in (:ids) and state = 'pending'""")
                .param("ids", ids).update();
    }

    void delivered(long id) {
        jdbc.sql("update webhook_delivery set state = 'delivered', last_error = null where id = :id")
                .param("id", id).update();
    }

    void failed(long id, String error, Instant retryAt) {
        jdbc.sql("update webhook_delivery set last_error = :error, next_attempt_at = :at where id = :id")
                .param("error", error).param("at", Timestamp.from(retryAt)).param("id", id).update();
    }

    void abandoned(long id, String error) {
        jdbc.sql("update webhook_delivery set state = 'abandoned', last_error = :error where id = :id")
                .param("error", error).param("id", id).update();
    }
}
