-- The last message sequence number used, kept on the conversation row: appending numbers new messages from it in
-- the same statement that locks the row (one round trip per streamed message instead of a max() and an update).
alter table conversation add column last_seq integer not null default 0;

update conversation c
set last_seq = coalesce((select max(seq) from conversation_message m where m.conversation_id = c.id), 0);
