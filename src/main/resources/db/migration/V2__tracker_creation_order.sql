-- Lists come back in creation order; trackers of one bulk create share a timestamp, so a sequence orders them.
alter table tracker add column seq bigint generated always as identity;

create index tracker_account_seq_idx on tracker (account_id, seq);
