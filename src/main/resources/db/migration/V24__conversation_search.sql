-- The conversations list's search (GET /v1/conversations?q=): a part of a name, ignoring case, or the start of an id.
-- Each has its index, so that the search (name or id) is two index look-ups instead of reading every conversation of
-- the account (docs/performance.md, "The list of conversations": 120-450 ms to 1-45 ms on 100,000 conversations).
create index conversation_id_prefix_idx on conversation (id varchar_pattern_ops);

-- A part of a name is found by a trigram index.
-- pg_trgm ships with PostgreSQL's contrib modules (the embedded PostgreSQL has it, as the usual server packages and
-- images do) and is a trusted extension: the database's owner may create it. Where it is missing or may not be
-- created, the search works all the same, by reading the account's conversations, and the migration says so.
do $$
begin
    if not exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
        raise warning 'pg_trgm is not available: GET /v1/conversations?q= reads every conversation of the account';
        return;
    end if;
    create extension if not exists pg_trgm;
    create index conversation_name_trigram_idx on conversation using gin (name gin_trgm_ops);
exception when insufficient_privilege then
    raise warning 'pg_trgm may not be created (%): GET /v1/conversations?q= reads every conversation of the account',
        sqlerrm;
end
$$;
