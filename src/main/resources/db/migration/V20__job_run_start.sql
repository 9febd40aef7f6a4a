-- When the job's current run began (its latest claim) and how many messages were done then: the progress of this run
-- per second of it, from which a refused submit (429) estimates when the account's next job finishes (Retry-After).
alter table job add column run_started_on timestamptz;
alter table job add column run_started_done int;
