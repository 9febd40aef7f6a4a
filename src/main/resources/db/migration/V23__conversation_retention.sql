-- Retention (trackers.conversations.retention): conversations whose last activity (updated_on) is older than it are
-- deleted, found oldest first in pages by this index, so each page reads its own rows however many there are.
create index conversation_updated_idx on conversation (updated_on, id);

-- Until when a live stream writes to the conversation: its instance renews this while the stream is open (a stream
-- may stay open without appending anything, so updated_on cannot tell), and the retention deletes no conversation
-- whose mark is still ahead. The mark of an instance that died runs out by itself. Null: never streamed to.
alter table conversation add column live_stream_until timestamptz;
