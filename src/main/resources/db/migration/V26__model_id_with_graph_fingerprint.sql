-- Vectors are stored under the id of the graph that computed them. An int8 model runs with fixed activation
-- scales since this version (docs/performance.md, "Fixed activation scales"), and its vectors are kept under the
-- model's id followed by '~' and a fingerprint of those scales: a model folder's id (up to 64 characters) plus nine.
-- Rows under the former ids are no longer read; a model's vectors are computed again when first needed.
alter table vocabulary_embedding alter column model_id type varchar(80);
alter table message_vector alter column model_id type varchar(80);
alter table tracker_threshold alter column model_id type varchar(80);
-- the bundled models' vectors from before: every bundled model is int8, so none of them is read again
delete from vocabulary_embedding where model_id in ('bge-small-en-v15-q', 'all-minilm-l6-v2-q', 'e5-small-v2-q');
delete from message_vector where model_id in ('bge-small-en-v15-q', 'all-minilm-l6-v2-q', 'e5-small-v2-q');
delete from tracker_threshold where model_id in ('bge-small-en-v15-q', 'all-minilm-l6-v2-q', 'e5-small-v2-q');
