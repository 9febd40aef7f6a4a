-- When the job's current run began (its latest claim) and how many messages were done then: the progress of this run
-- per second of it, from which a refused submit (429) estimates when the account's next job finishes (Retry-After).
alter table job add column run_started_on timestamptz;
alter table job add column run_started_done int;

-- A notification written before its job was deleted (with its conversation) is still sent: it reports a status change
-- that happened, and whether a receiver hears of it must not depend on how long the outbox took (a job completed, the
-- client read its hits and deleted the conversation while `completed` still waited for the receiver). So deliveries no
-- longer go with their job by cascade: at the delete those sent or abandoned go, those pending are marked and go once
-- sent or abandoned (job.WebhookOutbox).
alter table webhook_delivery drop constraint webhook_delivery_job_id_fkey;
alter table webhook_delivery add column job_deleted boolean not null default false;
