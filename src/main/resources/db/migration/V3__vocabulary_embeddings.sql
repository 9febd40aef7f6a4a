-- Vocabulary phrase embeddings, computed once per tracker version and model so that a restart never re-embeds
-- and a model switch re-embeds once. Vectors are float32 little-endian, L2-normalised.
create table vocabulary_embedding (
    tracker_id      varchar(36) not null references tracker (id) on delete cascade,
    tracker_version bigint      not null,
    model_id        varchar(64) not null,
    phrase          text        not null,
    vector          bytea       not null,
    primary key (tracker_id, tracker_version, model_id, phrase)
);
