-- Accounts own everything else; only a BCrypt hash of each secret is kept.
create table account (
    id          uuid primary key,
    app_id      varchar(128) not null unique,
    secret_hash varchar(100) not null,
    name        varchar(200) not null,
    created_on  timestamptz  not null default now()
);

-- The HMAC key signing access tokens when none is configured, shared by all instances on this database.
create table signing_key (
    id         int primary key check (id = 1),
    secret     bytea       not null,
    created_on timestamptz not null default now()
);

create table tracker (
    id          varchar(36)  primary key,
    account_id  uuid         not null references account (id),
    name        varchar(128) not null,
    description text,
    categories  text[]       not null default '{}',
    languages   text[]       not null default '{en-US}',
    vocabulary  text[]       not null,
    -- optional per-tracker matching sensitivity; null means the calibrated default
    sensitivity double precision,
    -- bumped on every change so caches (e.g. vocabulary embeddings) can tell a changed tracker
    version     bigint       not null default 1,
    created_on  timestamptz  not null,
    updated_on  timestamptz  not null,
    constraint tracker_name_unique_per_account unique (account_id, name)
);

create index tracker_account_idx on tracker (account_id, created_on);
