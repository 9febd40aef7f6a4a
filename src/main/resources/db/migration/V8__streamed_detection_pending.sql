-- A streamed sentence is stored before its hits are (detection overlaps with the commit). Until the hits are
-- recorded it is marked pending, in the same transaction that stores them, so that sentences of a process killed
-- in between are found and detected again (streaming's recovery) instead of staying without hits for ever.
alter table conversation_message add column detection_pending boolean not null default false;

create index conversation_message_detection_pending_idx on conversation_message (created_on)
    where detection_pending;

-- The tracker definitions a stream resolved at its start (like job.trackers), so that recovery detects with the
-- trackers the stream listened for, even after they were changed or deleted. Null for async conversations.
alter table conversation add column stream_trackers jsonb;
