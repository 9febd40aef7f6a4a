-- Analytics across conversations (api.md "Analytics across conversations", docs/analytics.md).

-- When a conversation happened, for analytics and the conversations list: its first message's start time, or when
-- it was created when that message carries none (or it has no message yet). The first message never changes once
-- stored (messages are only appended), so a conversation's day is known for good when its first hit is stored.
create view conversation_start as
select c.id, c.account_id,
       coalesce((select m.start_time from conversation_message m where m.conversation_id = c.id and m.seq = 1),
                c.created_on) started_on
from conversation c;

-- Daily rollups, maintained in the transaction that stores the hits. Counting the hits themselves took seconds on
-- a 1,000,000-hit account (docs/performance.md); a year of rollups is a few thousand rows per account. A day is a
-- UTC day of the conversation's start: a conversation falls on exactly one day, so distinct conversations add up
-- across days, weeks and months.
create table tracker_daily_stats (
    account_id    uuid         not null references account (id),
    day           date         not null,
    tracker_id    varchar(64)  not null,
    -- the tracker's name in the latest hit stored for that day: trackers deleted since keep theirs
    tracker_name  varchar(128) not null,
    -- conversations started that day in which the tracker hit at least once
    conversations int          not null,
    -- (message, tracker) pairs: a message matching two phrases of one tracker is one hit
    hits          int          not null,
    agent_hits    int          not null,
    customer_hits int          not null,
    primary key (account_id, day, tracker_id)
);

-- Every stored (message, tracker, phrase) hit counts for its phrase.
create table tracker_phrase_daily_stats (
    account_id uuid         not null references account (id),
    day        date         not null,
    tracker_id varchar(64)  not null,
    phrase     varchar(256) not null,
    hits       int          not null,
    primary key (account_id, day, tracker_id, phrase)
);

insert into tracker_daily_stats (account_id, day, tracker_id, tracker_name, conversations, hits, agent_hits,
                                 customer_hits)
select s.account_id, (s.started_on at time zone 'UTC')::date, p.tracker_id, max(p.tracker_name),
       count(distinct p.conversation_id), count(*),
       count(*) filter (where m.from_role = 'agent'), count(*) filter (where m.from_role = 'customer')
from (select conversation_id, message_id, tracker_id, max(tracker_name) tracker_name
      from tracker_hit group by conversation_id, message_id, tracker_id) p
join conversation_message m on m.id = p.message_id
join conversation_start s on s.id = p.conversation_id
group by s.account_id, (s.started_on at time zone 'UTC')::date, p.tracker_id;

insert into tracker_phrase_daily_stats (account_id, day, tracker_id, phrase, hits)
select s.account_id, (s.started_on at time zone 'UTC')::date, h.tracker_id, h.phrase, count(*)
from tracker_hit h join conversation_start s on s.id = h.conversation_id
group by s.account_id, (s.started_on at time zone 'UTC')::date, h.tracker_id, h.phrase;

-- Storing hits asks whether the tracker already hit the conversation (its first hit there counts the conversation).
create index tracker_hit_conversation_tracker_idx on tracker_hit (conversation_id, tracker_id);
drop index tracker_hit_conversation_idx;

-- The conversations list: newest first, the id breaking ties, one index range per page.
create index conversation_account_newest_idx on conversation (account_id, created_on desc, id desc);
drop index conversation_account_idx;
