-- The calibrated threshold of each managed tracker under one model (docs/matching.md, "Thresholds from the tracker
-- set"), written when the account's index is built after a tracker change, so that it survives a restart and users
-- can read it with the tracker. `threshold` is the one that decides at the tracker's sensitivity; `evidence` counts
-- the sentences it was derived from; `fingerprint` names the tracker set (ids and versions), the policy and the
-- reference sentences that produced it.
create table tracker_threshold (
    tracker_id      varchar(36)      not null references tracker (id) on delete cascade,
    model_id        varchar(64)      not null,
    account_id      uuid             not null references account (id),
    tracker_version bigint           not null,
    threshold       double precision not null,
    evidence        integer          not null,
    fingerprint     varchar(64)      not null,
    computed_at     timestamptz      not null,
    primary key (tracker_id, model_id)
);
