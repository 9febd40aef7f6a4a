-- A hit of a tracker on a message counts one phrase in the analytics' top phrases: the one that matched best (the
-- words said first, when said literally). Every matching phrase counted before, so phrases that say much the same thing
-- got near-equal counts and the counts added up to more than the hits.
alter table tracker_hit add column phrase_counted boolean not null default false;

update tracker_hit h set phrase_counted = true
from (select distinct on (message_id, tracker_id) id
      from tracker_hit
      order by message_id, tracker_id, score desc, phrase_offset < 0, phrase_offset, id) best
where h.id = best.id;

delete from tracker_phrase_daily_stats;

insert into tracker_phrase_daily_stats (account_id, day, tracker_id, phrase, hits)
select s.account_id, (s.started_on at time zone 'UTC')::date, h.tracker_id, h.phrase, count(*)
from tracker_hit h join conversation_start s on s.id = h.conversation_id
where h.phrase_counted
group by s.account_id, (s.started_on at time zone 'UTC')::date, h.tracker_id, h.phrase;
