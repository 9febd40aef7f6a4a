-- How many conversations each account has deleted (DELETE /v1/conversations/{id}), bumped in the deleting
-- transaction. Whoever keeps an account's stored sentences in memory (teaching's suggestions) compares the pair
-- (sum of the conversations' last_seq, deletions) to tell whether they changed: the sum alone can come back to a value
-- it had after a deletion and new messages, and an instance sharing the database must notice either.
create table conversation_deletions (
    account_id uuid   primary key references account (id),
    deletions  bigint not null
);

-- Deleting a conversation deletes its jobs, and their webhook notifications by cascade: without an index on the job,
-- each deleted job would read every notification ever sent.
create index webhook_delivery_job_idx on webhook_delivery (job_id);
