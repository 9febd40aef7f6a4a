-- Tracker conditions (api.md "Tracker fields beyond Symbl"): whose messages can fire a tracker, a window at the
-- start or end of the conversation, and phrases whose sentences are not hits. Existing trackers get no conditions.
alter table tracker
    add column speaker         varchar(16) not null default 'any' check (speaker in ('any', 'agent', 'customer')),
    add column window_anchor   varchar(8) check (window_anchor in ('start', 'end')),
    add column window_seconds  int check (window_seconds > 0),
    add column window_messages int check (window_messages > 0),
    add column exclude         text[] not null default '{}',
    add constraint tracker_window_shape check (
        (window_anchor is null and window_seconds is null and window_messages is null)
        or (window_anchor is not null and (window_seconds is null) <> (window_messages is null)));

-- Message windows count the messages a client sent, not the sentences they are split into: each stored sentence
-- keeps the 0-based position of its message in the conversation, numbered from the conversation's counter (taken
-- with the same row lock as last_seq).
alter table conversation_message add column turn int;
alter table conversation add column last_turn int not null default 0;

-- Conversations stored before: a message starts where the submitted message index changes, or where it does not
-- but its text starts over (the first sentence of the next request).
with starts as (
    select id, conversation_id, seq,
           case when lag(source_index) over w is distinct from source_index
                  or char_start <= lag(char_start) over w then 1 else 0 end as starts
    from conversation_message
    window w as (partition by conversation_id order by seq)
), numbered as (
    select id, sum(starts) over (partition by conversation_id order by seq) - 1 as turn from starts
)
update conversation_message m set turn = n.turn from numbered n where m.id = n.id;

update conversation c
set last_turn = coalesce((select max(turn) + 1 from conversation_message m where m.conversation_id = c.id), 0);

-- What a job wants its client to know about its result, e.g. that a tracker's seconds window could not be applied
-- to messages without times.
alter table job add column warnings text[] not null default '{}';
