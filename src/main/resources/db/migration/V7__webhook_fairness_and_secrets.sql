-- Webhook deliveries know their account, so that the sender can share its threads fairly between accounts and send
-- at most one notification of an account at a time (one account's dead receiver then holds one sender, not all).
alter table webhook_delivery add column account_id uuid references account (id);
update webhook_delivery d set account_id = j.account_id from job j where j.id = d.job_id;
alter table webhook_delivery alter column account_id set not null;

-- A claim is its own column instead of a pushed-forward next_attempt_at: a claim must be told apart from a backoff
-- wait to keep one notification per account in flight, and it covers one attempt only, so the notifications an
-- instance had claimed when it died are due again within about two webhook timeouts.
alter table webhook_delivery add column claimed_until timestamptz;

create index webhook_delivery_account_idx on webhook_delivery (account_id) where state = 'pending';

-- When a delivery was last claimed: the account whose latest claim is oldest goes next, so accounts with due
-- notifications take turns however many each has queued.
alter table webhook_delivery add column last_claimed_at timestamptz;
create index webhook_delivery_turn_idx on webhook_delivery (account_id, last_claimed_at);

-- The key each account's notifications are signed with (HMAC-SHA256). Stored rather than derived from the token
-- signing key: receivers must be given it, and it must not change when that key does.
create table webhook_secret (
    account_id uuid        primary key references account (id),
    secret     varchar(64) not null,
    created_on timestamptz not null
);
