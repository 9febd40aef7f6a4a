-- The speaker's role of a stored message (api.md "Tracker fields beyond Symbl": from.role / speaker.role).
-- Null when the client gave none: such a message counts as neither agent nor customer.
alter table conversation_message
    add column from_role varchar(16) check (from_role in ('agent', 'customer'));
