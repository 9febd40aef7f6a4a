-- A client that sends a submit or an append again after losing its answer (a timeout, a dropped connection) gives the
-- same Idempotency-Key: the job the first one created is answered again instead of a second job with the same
-- messages (docs/jobs.md, "Sending a request again"). The key lives as long as its job; the fingerprint tells a retry
-- from another request that reuses the key.
alter table job add column idempotency_key varchar(255);
alter table job add column request_fingerprint bytea;
create unique index job_idempotency_key on job (account_id, idempotency_key) where idempotency_key is not null;
