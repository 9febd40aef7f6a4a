-- Access tokens ended before their exp (POST /oauth2/token:revoke), by the token's id (its jti). Every instance on this
-- database refuses them at the next request. A row is useless once the token has expired (the signature check
-- refuses it by then), so expires_at is kept for the purge that deletes those rows (account.RevokedTokenPurge).
create table revoked_token (
    token_id   varchar(64) primary key,
    account_id uuid        not null references account (id),
    expires_at timestamptz not null,
    revoked_at timestamptz not null default now()
);

create index revoked_token_expiry_idx on revoked_token (expires_at);
