-- When a conversation happened (V11's conversation_start: its first message's start time, or its creation when that
-- message has none or it has no message yet), stored in the conversation's row so that an index answers a range of
-- it: GET /v1/conversations?from=&to= looked the start up in each conversation's first message, a cost that grew with
-- the account's conversations whatever the range (docs/performance.md, "The list of conversations"). The row is
-- created with its creation time as start, and the statement that stores the conversation's first message sets that
-- message's start time when it has one (ConversationRepository.insertMessages); messages are only appended, so the
-- first one never changes afterwards.
alter table conversation add column started_on timestamptz;

update conversation c
set started_on = coalesce((select m.start_time from conversation_message m
                           where m.conversation_id = c.id and m.seq = 1), c.created_on);

alter table conversation alter column started_on set not null;

create index conversation_account_started_idx on conversation (account_id, started_on);

-- The view keeps its meaning and its readers (analytics, tests): it now reads the stored start.
create or replace view conversation_start as
select c.id, c.account_id, c.started_on
from conversation c;
