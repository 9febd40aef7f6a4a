package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Job rows. Claiming and lease renewal are single statements so that they are atomic across instances. */
@Repository
class JobRepository {

    /** A claimed job with everything a worker needs. */
    record ClaimedJob(String id, AccountId account, String conversationId, String trackersJson, int firstSeq,
                      int lastSeq, int done, int total, String webhookUrl, int attempts, JobStatus previousStatus) {
    }

    /**
     * How long the queue count of a metrics scrape may wait for the database (a lock on {@code job} held by an
     * ALTER TABLE or VACUUM FULL): a scrape that waits longer fails as a whole in Prometheus, every other metric of
     * the instance with it.
     */
    static final Duration QUEUE_COUNT_TIMEOUT = Duration.ofSeconds(2);

    private final JdbcClient jdbc;
    /** {@link #jdbc} with statements cancelled after {@link #QUEUE_COUNT_TIMEOUT}. */
    private final JdbcClient bounded;

    JobRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        JdbcTemplate timed = new JdbcTemplate(template.getDataSource());
        timed.setQueryTimeout((int) QUEUE_COUNT_TIMEOUT.toSeconds());
        this.bounded = JdbcClient.create(timed);
    }

    /**
     * Serialises submits of one account until the transaction ends, so that the active-job count checked
     * before inserting cannot be overtaken by a concurrent submit (on this or another instance).
     */
    void lockAccount(AccountId account) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('jobs:' || :account, 0))")
                .param("account", account.toString()).query().singleValue();
    }

    int countActive(AccountId account) {
        return jdbc.sql("select count(*) from job where account_id = :account and status in ('scheduled', 'in_progress')")
                .param("account", account.value()).query(Integer.class).single();
    }

    /** Jobs of every account and instance: waiting for a worker, and running under a live lease. */
    record QueueCounts(long waiting, long running) {
    }

    /**
     * Counts the active jobs ({@code job_pending_idx} covers them): waiting are the scheduled ones and those a claim
     * may take again (handed back, or their worker died and the lease ran out; a retry's pause counts as waiting),
     * running those an instance holds under a live lease.
     */
    QueueCounts queueCounts() {
        return bounded.sql("""
                select count(*) filter (where not running) as waiting, count(*) filter (where running) as running
                from (select status = 'in_progress' and lease_owner is not null and lease_until >= now() as running
                      from job where status in ('scheduled', 'in_progress')) active""")
                .query((rs, row) -> new QueueCounts(rs.getLong("waiting"), rs.getLong("running"))).single();
    }

    /**
     * How long the account's running job that will finish first still needs, extrapolated from the progress of its
     * current run: elapsed × (total − done) / (done since the run began). Empty when no running job of the account
     * has committed a batch in its current run, so that there is nothing to extrapolate from.
     */
    Optional<Duration> soonestFinish(AccountId account) {
        return jdbc.sql("""
                select min(extract(epoch from now() - run_started_on) * (total - done) / (done - run_started_done))
                from job
                where account_id = :account and status = 'in_progress' and lease_owner is not null
                  and lease_until >= now() and done > run_started_done""")
                .param("account", account.value()).query(Double.class).optional()
                .map(seconds -> Duration.ofMillis(Math.round(seconds * 1000)));
    }

    void insert(String id, AccountId account, String conversationId, String trackersJson, String selectionJson,
            int firstSeq, int lastSeq, String webhookUrl, Instant now, IdempotentRequest request) {
        jdbc.sql("""
                insert into job (id, account_id, conversation_id, status, trackers, selection, first_seq, last_seq,
                    total, webhook_url, created_on, updated_on, idempotency_key, request_fingerprint)
                values (:id, :account, :conversation, 'scheduled', cast(:trackers as jsonb), cast(:selection as jsonb),
                    :first, :last, :total, :webhook, :now, :now, :key, :fingerprint)""")
                .param("id", id).param("account", account.value()).param("conversation", conversationId)
                .param("trackers", trackersJson).param("selection", selectionJson)
                .param("first", firstSeq).param("last", lastSeq).param("total", lastSeq - firstSeq + 1)
                .param("webhook", webhookUrl).param("now", Timestamp.from(now))
                .param("key", request == null ? null : request.key())
                .param("fingerprint", request == null ? null : request.fingerprint())
                .update();
    }

    /** The job an earlier request with this {@code Idempotency-Key} created, while it exists. */
    Optional<IdempotentRequest.Earlier> byIdempotencyKey(AccountId account, String key) {
        return jdbc.sql("""
                select id, conversation_id, request_fingerprint from job
                where account_id = :account and idempotency_key = :key""")
                .param("account", account.value()).param("key", key)
                .query((rs, row) -> new IdempotentRequest.Earlier(rs.getString("id"), rs.getString("conversation_id"),
                        rs.getBytes("request_fingerprint")))
                .optional();
    }

    Optional<JobView> find(AccountId account, String id) {
        return jdbc.sql("select * from job where id = :id and account_id = :account")
                .param("id", id).param("account", account.value())
                .query((rs, row) -> new JobView(rs.getString("id"), rs.getString("status"),
                        rs.getString("conversation_id"), new JobView.Progress(rs.getInt("done"), rs.getInt("total")),
                        rs.getString("error"), warnings(rs.getArray("warnings"))))
                .optional();
    }

    /** True while the job's row exists: it goes with its conversation when that is deleted. */
    boolean exists(String id) {
        return jdbc.sql("select exists (select 1 from job where id = :id)").param("id", id)
                .query(Boolean.class).single();
    }

    /** Locks the conversation's jobs until the transaction ends (it is deleting them); returns their ids. */
    List<String> lockJobsOf(String conversationId) {
        return jdbc.sql("select id from job where conversation_id = :conversation for update")
                .param("conversation", conversationId).query(String.class).list();
    }

    /** The id of the latest job of the account's conversation {@code conversationId}, if it is one. */
    Optional<String> latestJobOf(AccountId account, String conversationId) {
        return jdbc.sql("""
                select id from job where conversation_id = :conversation and account_id = :account
                order by created_on desc, id desc limit 1""")
                .param("conversation", conversationId).param("account", account.value())
                .query(String.class).optional();
    }

    /** The selection of the conversation's latest job, for an append that names no trackers. */
    Optional<String> latestSelection(String conversationId) {
        return jdbc.sql("""
                select selection::text from job where conversation_id = :conversation
                order by created_on desc limit 1""")
                .param("conversation", conversationId).query(String.class).optional();
    }

    /**
     * Takes a job that is scheduled, or running under a lease that ran out (its worker died), and leases it to
     * {@code owner}: the oldest of the account with the fewest jobs running, so that one account's backlog never
     * holds every worker while another account's job waits. {@code FOR UPDATE SKIP LOCKED} makes concurrent claimers on any instance
     * pick different rows without waiting for each other.
     */
    Optional<ClaimedJob> claim(String owner, Duration lease) {
        return jdbc.sql("""
                with next as (
                    select j.id, j.status as previous from job j
                    where j.status = 'scheduled' or (j.status = 'in_progress' and j.lease_until < now())
                    order by (select count(*) from job running where running.account_id = j.account_id
                                and running.status = 'in_progress' and running.lease_until >= now()),
                             j.created_on
                    limit 1
                    for update of j skip locked)
                update job j set status = 'in_progress', lease_owner = :owner,
                    lease_until = now() + make_interval(secs => :lease), attempts = j.attempts + 1, updated_on = now(),
                    run_started_on = now(), run_started_done = j.done
                from next where j.id = next.id
                returning j.id, j.account_id, j.conversation_id, j.trackers::text trackers, j.first_seq, j.last_seq,
                    j.done, j.total, j.webhook_url, j.attempts, next.previous""")
                .param("owner", owner).param("lease", lease.toMillis() / 1000.0)
                .query((rs, row) -> new ClaimedJob(rs.getString("id"),
                        new AccountId(rs.getObject("account_id", java.util.UUID.class)),
                        rs.getString("conversation_id"), rs.getString("trackers"), rs.getInt("first_seq"),
                        rs.getInt("last_seq"), rs.getInt("done"), rs.getInt("total"), rs.getString("webhook_url"),
                        rs.getInt("attempts"), JobStatus.ofWire(rs.getString("previous"))))
                .optional();
    }

    /**
     * Extends the leases of the jobs this owner is running right now (a job whose worker thread ended without
     * finishing it is not renewed, so it returns to the queue when its lease runs out).
     */
    int renewLeases(String owner, List<String> jobIds, Duration lease) {
        return jdbc.sql("""
                update job set lease_until = now() + make_interval(secs => :lease)
                where id in (:ids) and lease_owner = :owner and status = 'in_progress'""")
                .param("ids", jobIds).param("owner", owner).param("lease", lease.toMillis() / 1000.0).update();
    }

    /** Records progress; false when the lease was lost (another instance took the job over). */
    boolean advance(String id, String owner, int done) {
        return jdbc.sql("""
                update job set done = :done, updated_on = now()
                where id = :id and lease_owner = :owner and status = 'in_progress'""")
                .param("done", done).param("id", id).param("owner", owner).update() == 1;
    }

    boolean finish(String id, String owner, JobStatus status, String error) {
        return finish(id, owner, status, error, List.of());
    }

    /** @param warnings what the client should know about the result (e.g. a window that could not be applied) */
    boolean finish(String id, String owner, JobStatus status, String error, List<String> warnings) {
        return jdbc.sql("""
                update job set status = :status, error = :error, warnings = :warnings, lease_owner = null,
                    lease_until = null, finished_on = now(), updated_on = now()
                where id = :id and lease_owner = :owner and status = 'in_progress'""")
                .param("status", status.wire()).param("error", error).param("id", id).param("owner", owner)
                .param("warnings", warnings.toArray(String[]::new))
                .update() == 1;
    }

    private static List<String> warnings(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }

    /**
     * Hands a job back after a temporary failure: nobody owns it, and it can be claimed again once {@code pause} is
     * over (a claim takes in_progress jobs whose lease has run out). The claim that took it stays counted as an
     * attempt; the status stays in_progress, so the next claim sends no second in_progress webhook.
     */
    boolean retryLater(String id, String owner, Duration pause) {
        return jdbc.sql("""
                update job set lease_owner = null, lease_until = now() + make_interval(secs => :pause),
                    updated_on = now()
                where id = :id and lease_owner = :owner and status = 'in_progress'""")
                .param("pause", pause.toMillis() / 1000.0).param("id", id).param("owner", owner).update() == 1;
    }

    /**
     * On orderly shutdown, hands this owner's running jobs back at once instead of when their leases run out: any
     * instance may claim them now, and a batch a late worker thread tries to commit is refused because the lease
     * has no owner. The claim is not counted as an attempt, since the job stopped because the service did, not
     * because it broke its worker; only crashes use up {@code trackers.jobs.max-attempts}. The status stays
     * in_progress, so the job's next claim sends no second in_progress webhook.
     *
     * @return the number of jobs handed back
     */
    int releaseLeases(String owner) {
        return jdbc.sql("""
                update job set lease_owner = null, lease_until = now(), attempts = greatest(attempts - 1, 0),
                    updated_on = now()
                where lease_owner = :owner and status = 'in_progress'""")
                .param("owner", owner).update();
    }

    /**
     * Conversation id → the status of its jobs taken together ({@link ConversationJobs#statuses}), for the account's
     * conversations among {@code conversationIds}: {@code in_progress} while one runs, else {@code scheduled} while one
     * waits, else {@code failed} if one failed, else {@code completed}.
     */
    Map<String, String> conversationStatus(AccountId account, Collection<String> conversationIds) {
        Map<String, String> statuses = new HashMap<>();
        jdbc.sql("""
                select conversation_id,
                       case when bool_or(status = 'in_progress') then 'in_progress'
                            when bool_or(status = 'scheduled') then 'scheduled'
                            when bool_or(status = 'failed') then 'failed'
                            else 'completed' end as status
                from job
                where account_id = :account and conversation_id = any(:ids)
                group by conversation_id""")
                .param("account", account.value()).param("ids", conversationIds.toArray(String[]::new))
                .query((rs, row) -> statuses.put(rs.getString("conversation_id"), rs.getString("status")))
                .list();
        return statuses;
    }

    /** Whether a job of the conversation is scheduled or in progress (by the job_conversation_idx index). */
    boolean hasUnfinishedJob(String conversationId) {
        return jdbc.sql("""
                select exists (select 1 from job where conversation_id = :id
                                                   and status in ('scheduled', 'in_progress'))""")
                .param("id", conversationId).query(Boolean.class).single();
    }
}
