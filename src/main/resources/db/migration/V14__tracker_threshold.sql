-- The calibrated threshold of each managed tracker under one model (docs/matching.md, "Thresholds from the tracker
-- set"), written when the account's index is built after a tracker change, so that it survives a restart and users
-- can read it with the tracker. `threshold` is the one that decides at the tracker's sensitivity; `evidence` counts
-- the sentences it was derived from; `fingerprint` names the tracker set (ids and versions), the policy and the
-- reference sentences that produced it.
--
-- No foreign keys: the background write must take no lock on `tracker` or `account` rows, or it deadlocks with a
-- tracker being deleted (which would cascade into the rows it is writing) or created (which locks the account row).
-- Each write replaces all of the account's rows under the model, which drops those of deleted trackers; reads only
-- ask for trackers that exist.
create table tracker_threshold (
    tracker_id      varchar(36)      not null,
    model_id        varchar(64)      not null,
    account_id      uuid             not null,
    tracker_version bigint           not null,
    threshold       double precision not null,
    evidence        integer          not null,
    fingerprint     varchar(64)      not null,
    computed_at     timestamptz      not null,
    primary key (tracker_id, model_id)
);
create index tracker_threshold_account_idx on tracker_threshold (account_id, model_id);
