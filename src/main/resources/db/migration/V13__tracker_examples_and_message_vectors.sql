-- Teaching a tracker: labelled example sentences (issue 16). They never change the vocabulary; they change how the
-- tracker decides. Deleted with their tracker.
create table tracker_example (
    id         varchar(36) primary key,
    tracker_id varchar(36) not null references tracker (id) on delete cascade,
    -- insertion order, the order GET lists them in and the matcher reads them in
    seq        bigserial   not null,
    text       text        not null,
    match      boolean     not null,
    created_on timestamptz not null
);

create index tracker_example_tracker_idx on tracker_example (tracker_id, seq);

-- One vector per stored sentence and model, computed once (when suggestions first need it), so that suggestions
-- score an account's sentences without embedding them again. float32 little-endian, L2-normalised.
create table message_vector (
    message_id varchar(36) not null references conversation_message (id) on delete cascade,
    model_id   varchar(64) not null,
    account_id uuid        not null,
    vector     bytea       not null,
    primary key (message_id, model_id)
);

create index message_vector_account_idx on message_vector (account_id, model_id);
