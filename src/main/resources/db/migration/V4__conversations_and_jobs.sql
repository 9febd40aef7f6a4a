-- Conversations (async or streamed), their sentence-level messages and the tracker hits found in them.
create table conversation (
    id         varchar(36)  primary key,
    account_id uuid         not null references account (id),
    name       varchar(256),
    source     varchar(16)  not null check (source in ('async', 'streaming')),
    created_on timestamptz  not null,
    updated_on timestamptz  not null
);

create index conversation_account_idx on conversation (account_id, created_on);

create table conversation_message (
    id              varchar(36) primary key,
    conversation_id varchar(36) not null references conversation (id) on delete cascade,
    -- position of the message in the conversation, gap-free from 1
    seq             int         not null,
    text            text        not null,
    from_user_id    varchar(256),
    from_name       varchar(256),
    start_time      timestamptz,
    end_time        timestamptz,
    -- which submitted message this sentence came from (0-based within its request) and where in its content
    source_index    int         not null,
    char_start      int         not null,
    char_end        int         not null,
    client_id       varchar(256),
    created_on      timestamptz not null,
    constraint conversation_message_seq_unique unique (conversation_id, seq)
);

create table tracker_hit (
    id              bigserial    primary key,
    conversation_id varchar(36)  not null references conversation (id) on delete cascade,
    message_id      varchar(36)  not null references conversation_message (id) on delete cascade,
    tracker_id      varchar(64)  not null,
    tracker_name    varchar(128) not null,
    phrase          varchar(256) not null,
    phrase_offset   int          not null,
    score           double precision not null,
    span_start      int          not null,
    span_end        int          not null,
    -- a job retried after a crash may find the same hit again; it is stored once
    constraint tracker_hit_unique unique (message_id, tracker_id, phrase)
);

create index tracker_hit_conversation_idx on tracker_hit (conversation_id);

-- Async jobs: rows claimed with FOR UPDATE SKIP LOCKED and held by a lease that the worker renews.
create table job (
    id              varchar(36) primary key,
    account_id      uuid        not null references account (id),
    conversation_id varchar(36) not null references conversation (id) on delete cascade,
    status          varchar(16) not null check (status in ('scheduled', 'in_progress', 'completed', 'failed')),
    -- the tracker definitions resolved at submit time, so the job is self-contained
    trackers        jsonb       not null,
    -- what the request asked for, reused by an append that does not say
    selection       jsonb       not null,
    first_seq       int         not null,
    last_seq        int         not null,
    done            int         not null default 0,
    total           int         not null,
    webhook_url     varchar(2048),
    error           text,
    attempts        int         not null default 0,
    lease_owner     varchar(64),
    lease_until     timestamptz,
    created_on      timestamptz not null,
    updated_on      timestamptz not null,
    finished_on     timestamptz
);

create index job_pending_idx on job (created_on) where status in ('scheduled', 'in_progress');
create index job_account_active_idx on job (account_id) where status in ('scheduled', 'in_progress');
create index job_conversation_idx on job (conversation_id, created_on);

-- Webhook outbox: written in the transaction that changes a job's status, delivered by a scheduler.
create table webhook_delivery (
    id              bigserial    primary key,
    job_id          varchar(36)  not null references job (id) on delete cascade,
    url             varchar(2048) not null,
    payload         text         not null,
    state           varchar(16)  not null check (state in ('pending', 'delivered', 'abandoned')),
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null,
    last_error      text,
    created_on      timestamptz  not null
);

create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where state = 'pending';
