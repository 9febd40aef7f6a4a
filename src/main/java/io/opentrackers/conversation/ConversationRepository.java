package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerHit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Conversation rows; every query that takes an account filters by it. */
@Repository
class ConversationRepository {

    private final JdbcClient jdbc;

    ConversationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A new conversation, without messages: it started when it was created until its first message is stored with a
     * start time ({@link #insertMessages}).
     */
    void insert(String id, AccountId account, String name, String source, Instant now) {
        jdbc.sql("""
                insert into conversation (id, account_id, name, source, created_on, updated_on, started_on)
                values (:id, :account, :name, :source, :now, :now, :now)""")
                .param("id", id).param("account", account.value()).param("name", name)
                .param("source", source).param("now", Timestamp.from(now))
                .update();
    }

    /**
     * Where the account's stored sentences stand: how many there are (the sum of its conversations' {@code last_seq}:
     * sequence numbers are gap-free and reserved in the transaction that stores the messages) and how many of its
     * conversations were deleted; one row per conversation instead of one per sentence (suggestions ask this on every
     * request).
     */
    ConversationService.SentencesVersion sentencesVersion(AccountId account) {
        return jdbc.sql("""
                select coalesce((select sum(last_seq) from conversation where account_id = :account), 0) sentences,
                       coalesce((select deletions from conversation_deletions where account_id = :account), 0) deletions""")
                .param("account", account.value())
                .query((rs, row) -> new ConversationService.SentencesVersion(rs.getLong("sentences"),
                        rs.getLong("deletions")))
                .single();
    }

    List<ConversationService.AccountSentence> accountSentences(AccountId account) {
        return jdbc.sql("""
                select m.conversation_id, m.id, m.text from conversation_message m
                join conversation c on c.id = m.conversation_id
                where c.account_id = :account order by c.created_on, c.id, m.seq""")
                .param("account", account.value())
                .query((rs, row) -> new ConversationService.AccountSentence(rs.getString(1), rs.getString(2),
                        rs.getString(3)))
                .list();
    }

    Optional<Conversation> find(AccountId account, String id) {
        return jdbc.sql("""
                select c.id, c.name, c.source, c.created_on, c.updated_on, c.started_on start_time,
                       (select max(end_time) from conversation_message m where m.conversation_id = c.id) end_time,
                       (select count(*) from conversation_message m where m.conversation_id = c.id) message_count
                from conversation c where c.id = :id and c.account_id = :account""")
                .param("id", id).param("account", account.value())
                .query((rs, row) -> new Conversation(rs.getString("id"), "meeting", rs.getString("name"),
                        rs.getString("source"), instant(rs, "start_time"), instant(rs, "end_time"),
                        rs.getInt("message_count"), instant(rs, "created_on"), instant(rs, "updated_on")))
                .optional();
    }

    /** Renames the account's conversation {@code id}; false when it has none with that id. */
    boolean rename(AccountId account, String id, String name, Instant now) {
        return jdbc.sql("update conversation set name = :name, updated_on = :now where id = :id and account_id = :account")
                .param("name", name).param("now", Timestamp.from(now)).param("id", id)
                .param("account", account.value()).update() == 1;
    }

    /** When the account's conversation {@code id} was created, or empty when it has none with that id. */
    Optional<Instant> createdOn(AccountId account, String id) {
        return jdbc.sql("select created_on from conversation where id = :id and account_id = :account")
                .param("id", id).param("account", account.value())
                .query((rs, row) -> instant(rs, "created_on")).optional();
    }

    /**
     * At most {@code limit} of the account's conversations, newest first (creation time, then id descending), those
     * after the position {@code after} when it is given, the first {@code offset} of them left out, and only those
     * {@code filter} lets through. The page's rows are chosen first and only they are summed up (their start and hits):
     * the rows an offset skips cost an index entry each, not a look-up of their hits. The message count
     * is {@code last_seq}: sequence numbers are gap-free from 1 and reserved in the transaction that stores the
     * messages.
     */
    List<ConversationSummary> list(AccountId account, ConversationFilter filter, ListPosition after, int offset,
            int limit) {
        Matching matching = Matching.of(account, filter, after);
        planForTheseValues(filter);
        return matching.bind(jdbc.sql("""
                select c.id, c.name, c.source, c.created_on, c.last_seq, c.started_on,
                       (select count(*) from (select distinct h.message_id, h.tracker_id from tracker_hit h
                                              where h.conversation_id = c.id) pairs) hit_count
                from (select c.id from %s
                      order by c.created_on desc, c.id desc
                      limit :limit offset :offset) page
                join conversation c on c.id = page.id
                order by c.created_on desc, c.id desc""".formatted(matching.fromWhere())))
                .param("limit", limit).param("offset", offset)
                .query((rs, row) -> new ConversationSummary(rs.getString("id"), rs.getString("name"),
                        rs.getString("source"), instant(rs, "started_on"), instant(rs, "created_on"),
                        rs.getInt("last_seq"), rs.getInt("hit_count"), null))
                .list();
    }

    /** How many of the account's conversations {@code filter} lets through, on every page. */
    long count(AccountId account, ConversationFilter filter) {
        Matching matching = Matching.of(account, filter, null);
        planForTheseValues(filter);
        return matching.bind(jdbc.sql("select count(*) from " + matching.fromWhere())).query(Long.class).single();
    }

    /**
     * A search is planned for its own text: the driver prepares a statement run often, and PostgreSQL then plans it
     * once for any text, which reads every conversation of the account (a text that few names hold and one that most
     * do are best found in opposite ways), so a search that the indexes answer in 1 ms took 100 ms on an account of
     * 100,000 conversations (docs/performance.md). For the rest of the (read-only) transaction only.
     */
    private void planForTheseValues(ConversationFilter filter) {
        if (filter.query() != null) {
            jdbc.sql("set local plan_cache_mode = force_custom_plan").update();
        }
    }

    /**
     * The {@code from … where …} of the account's conversations that a filter lets through (after a position), as the
     * list and its count share it. A range of starts is answered by the {@code (account_id, started_on)} index (V25);
     * it used to look each conversation's start up in its first message, a cost per conversation of the account.
     */
    private record Matching(String fromWhere, Map<String, Object> params) {

        static Matching of(AccountId account, ConversationFilter filter, ListPosition after) {
            Map<String, Object> params = new HashMap<>();
            params.put("account", account.value());
            StringBuilder sql = new StringBuilder("conversation c where c.account_id = :account");
            if (after != null) {
                sql.append(" and (c.created_on, c.id) < (:afterCreatedOn, :afterId)");
                params.put("afterCreatedOn", Timestamp.from(after.createdOn()));
                params.put("afterId", after.id());
            }
            if (filter.trackerId() != null) {
                // a tracker's hits are found by the (conversation_id, tracker_id) index, one probe per conversation read
                sql.append(" and exists (select 1 from tracker_hit t where t.conversation_id = c.id "
                        + "and t.tracker_id = :tracker)");
                params.put("tracker", filter.trackerId());
            }
            if (filter.from() != null) {
                sql.append(" and c.started_on >= :from");
                params.put("from", Timestamp.from(filter.from()));
            }
            if (filter.to() != null) {
                sql.append(" and c.started_on < :to");
                params.put("to", Timestamp.from(filter.to()));
            }
            if (filter.query() != null) {
                // the name's trigram index (V24) finds a part of a name; ids are lower-case UUIDs, found by their start
                String literal = likeLiteral(filter.query());
                sql.append(" and (c.name ilike :namePart or c.id like :idStart)");
                params.put("namePart", "%" + literal + "%");
                params.put("idStart", literal.toLowerCase(Locale.ROOT) + "%");
            }
            return new Matching(sql.toString(), params);
        }

        /** {@code text} matched as it is by LIKE: its wildcards and the escape character escaped. */
        private static String likeLiteral(String text) {
            return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        }

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
            return statement.params(params);
        }
    }

    /**
     * Whether the account has stored hits of tracker {@code trackerId} (a tracker deleted since, or an inline one),
     * read from analytics' daily rollup, which has a row per (day, tracker) with hits: a few thousand rows per
     * account, where the hits themselves can be millions.
     */
    boolean hasStoredHits(AccountId account, String trackerId) {
        return jdbc.sql("select exists (select 1 from tracker_daily_stats where account_id = :account "
                        + "and tracker_id = :tracker)")
                .param("account", account.value()).param("tracker", trackerId)
                .query(Boolean.class).single();
    }

    /** The numbers reserved for an append: the last sequence number and the last message position used before. */
    record Reserved(int seq, int turn) {
    }

    /**
     * Reserves the next {@code count} sequence numbers and {@code turns} message positions of the conversation and
     * marks it updated, in one statement whose row lock holds until the transaction ends, so concurrent appends get
     * consecutive, distinct numbers (a waiting update re-reads the row, so it counts on from the numbers the first one
     * reserved). Answers the numbers used before, or empty for an unknown conversation.
     */
    Optional<Reserved> reserveSequence(AccountId account, String id, int count, int turns, Instant now) {
        return jdbc.sql("""
                update conversation set updated_on = :now, last_seq = last_seq + :count,
                                        last_turn = last_turn + :turns
                where id = :id and account_id = :account
                returning last_seq - :count as seq, last_turn - :turns as turn""")
                .param("id", id).param("account", account.value()).param("count", count).param("turns", turns)
                .param("now", Timestamp.from(now))
                .query((rs, row) -> new Reserved(rs.getInt("seq"), rs.getInt("turn"))).optional();
    }

    /** One message as the client sent it: its position, its speaker's role and its times (over its sentences). */
    record TurnRow(int turn, String role, Instant start, Instant end) {
    }

    /** Every message of the conversation as the client sent it, in order (for tracker windows). */
    List<TurnRow> turns(String conversationId) {
        return turnsOf(List.of(conversationId)).getOrDefault(conversationId, List.of());
    }

    /** {@link #turns} of several conversations in one query, by conversation id. */
    Map<String, List<TurnRow>> turnsOf(java.util.Collection<String> conversationIds) {
        Map<String, List<TurnRow>> byConversation = new LinkedHashMap<>();
        if (conversationIds.isEmpty()) {
            return byConversation;
        }
        jdbc.sql("""
                select conversation_id, turn, min(from_role) as role, min(start_time) as start_time,
                       max(end_time) as end_time
                from conversation_message where conversation_id in (:ids) and turn is not null
                group by conversation_id, turn order by conversation_id, turn""")
                .param("ids", conversationIds)
                .query((rs, row) -> Map.entry(rs.getString("conversation_id"), new TurnRow(rs.getInt("turn"),
                        rs.getString("role"), instant(rs, "start_time"), instant(rs, "end_time"))))
                .list()
                .forEach(e -> byConversation.computeIfAbsent(e.getKey(), id -> new ArrayList<>()).add(e.getValue()));
        return byConversation;
    }

    /**
     * Like {@link #exists}, and keeps the conversation from being deleted until the transaction ends (a key-share lock:
     * writers of its messages and hits do not wait for each other on it, a delete waits for them).
     */
    boolean existsLocked(AccountId account, String id) {
        return jdbc.sql("select 1 from conversation where id = :id and account_id = :account for key share")
                .param("id", id).param("account", account.value())
                .query(Integer.class).optional().isPresent();
    }

    /**
     * Every hit stored in the conversation, flagged as {@link #insertHits} flagged it when it was counted: the first
     * (by insertion) of each (message, tracker) and of each tracker. Call with the conversation locked.
     */
    List<HitsStored.Hit> storedHits(String conversationId) {
        return jdbc.sql("""
                select h.message_id, h.tracker_id, h.tracker_name, h.phrase, m.from_role, h.phrase_counted,
                    row_number() over (partition by h.message_id, h.tracker_id order by h.id) = 1 first_of_message,
                    row_number() over (partition by h.tracker_id order by h.id) = 1 first_of_conversation
                from tracker_hit h join conversation_message m on m.id = h.message_id
                where h.conversation_id = :conversation
                order by h.id""")
                .param("conversation", conversationId)
                .query((rs, row) -> new HitsStored.Hit(rs.getString("message_id"), rs.getString("tracker_id"),
                        rs.getString("tracker_name"), rs.getString("phrase"), rs.getString("from_role"),
                        rs.getBoolean("phrase_counted"), rs.getBoolean("first_of_message"),
                        rs.getBoolean("first_of_conversation")))
                .list();
    }

    /**
     * Deletes the conversation with everything stored from it: its messages (also those awaiting detection), their
     * hits and vectors, its jobs and their webhook notifications (foreign keys with {@code on delete cascade}, V4 and
     * V13), and counts the deletion for the account ({@code conversation_deletions}, V17).
     */
    void delete(AccountId account, String id) {
        jdbc.sql("delete from conversation where id = :id and account_id = :account")
                .param("id", id).param("account", account.value()).update();
        jdbc.sql("""
                insert into conversation_deletions as d (account_id, deletions) values (:account, 1)
                on conflict (account_id) do update set deletions = d.deletions + 1""")
                .param("account", account.value()).update();
    }

    /** A conversation of any account and its last activity ({@code updated_on}), as the retention pages them. */
    record Inactive(AccountId account, String id, Instant updatedOn) {
    }

    /**
     * At most {@code limit} conversations of every account whose last activity is before {@code before}, oldest first,
     * those after {@code after} (the last of the previous page) when it is given: by the {@code (updated_on, id)}
     * index (V23), so a page costs its own rows however many conversations there are. Nothing is locked.
     */
    List<Inactive> inactive(Instant before, Inactive after, int limit) {
        String position = after == null ? "" : "and (updated_on, id) > (:afterUpdatedOn, :afterId)";
        return jdbc.sql("""
                select account_id, id, updated_on from conversation
                where updated_on < :before %s
                order by updated_on, id
                limit :limit""".formatted(position))
                .param("before", Timestamp.from(before)).param("limit", limit)
                .param("afterUpdatedOn", after == null ? null : Timestamp.from(after.updatedOn()))
                .param("afterId", after == null ? null : after.id())
                .query((rs, row) -> new Inactive(new AccountId(rs.getObject("account_id", UUID.class)),
                        rs.getString("id"), instant(rs, "updated_on")))
                .list();
    }

    /**
     * Locks the conversation for its deletion by the retention, if it is still due: its last activity before
     * {@code before} (read from its newest version: an append that committed since counts), no live stream's mark
     * after {@code now}, and no other transaction holding it (skipped, not waited for: a writer appending to it, a
     * job being submitted to it, another instance's retention deleting it). Answers its account, or empty.
     */
    Optional<AccountId> lockIfInactive(String id, Instant before, Instant now) {
        return jdbc.sql("""
                select account_id from conversation
                where id = :id and updated_on < :before and (live_stream_until is null or live_stream_until <= :now)
                for update skip locked""")
                .param("id", id).param("before", Timestamp.from(before)).param("now", Timestamp.from(now))
                .query((rs, row) -> new AccountId(rs.getObject("account_id", UUID.class)))
                .optional();
    }

    /** Marks the conversations as written to by a live stream until {@code until} (V23). */
    void markLiveStreams(Collection<String> ids, Instant until) {
        jdbc.sql("update conversation set live_stream_until = :until where id = any(:ids)")
                .param("until", Timestamp.from(until)).param("ids", ids.toArray(String[]::new))
                .update();
    }

    /** How many conversations each of these accounts has (accounts without any are left out). */
    Map<AccountId, Long> countsOf(Collection<AccountId> accounts) {
        Map<AccountId, Long> counts = new HashMap<>();
        jdbc.sql("select account_id, count(*) from conversation where account_id = any(:accounts) group by account_id")
                .param("accounts", accounts.stream().map(AccountId::value).toArray(UUID[]::new))
                .query(rs -> {
                    counts.put(new AccountId(rs.getObject(1, UUID.class)), rs.getLong(2));
                });
        return counts;
    }

    /**
     * Deletes every conversation of the account with everything stored from them, and its count of deletions. The
     * conversations are locked first (in id order, as a single statement takes them in no stated order), so the
     * delete waits for the writers holding one; the hits and messages are deleted before their conversations, in bulk,
     * so that the cascades find nothing left (one trigger call per message and hit cost most of a delete,
     * docs/performance.md).
     */
    void deleteAllOf(AccountId account) {
        UUID id = account.value();
        jdbc.sql("select id from conversation where account_id = ? order by id for update").param(id)
                .query(String.class).list();
        jdbc.sql("delete from tracker_hit h using conversation c where h.conversation_id = c.id and c.account_id = ?")
                .param(id).update();
        jdbc.sql("""
                delete from conversation_message m using conversation c
                where m.conversation_id = c.id and c.account_id = ?""").param(id).update();
        jdbc.sql("delete from conversation where account_id = ?").param(id).update();
        jdbc.sql("delete from conversation_deletions where account_id = ?").param(id).update();
    }

    /** True when the conversation exists and belongs to the account (without counting its messages). */
    boolean exists(AccountId account, String id) {
        return jdbc.sql("select exists (select 1 from conversation where id = :id and account_id = :account)")
                .param("id", id).param("account", account.value())
                .query(Boolean.class).single();
    }

    void setStreamTrackers(String id, String trackersJson) {
        jdbc.sql("update conversation set stream_trackers = cast(:trackers as jsonb) where id = :id")
                .param("id", id).param("trackers", trackersJson).update();
    }

    /**
     * Inserts the messages in one statement (a 1,000-message job was 1,323 round trips in its submit transaction).
     * Speakers, times and turns that are absent go in as nulls. When they hold the conversation's first message
     * (sequence 1) with a start time, that time becomes the conversation's start ({@code started_on}, what a range of
     * the conversations list and analytics' days go by): every write path (jobs, appends, streams, transcripts)
     * stores its messages here, in the transaction that reserved their numbers and holds the conversation's row.
     */
    void insertMessages(String conversationId, List<StoredMessage> messages, Instant now, boolean detectionPending) {
        if (messages.isEmpty()) {
            return;
        }
        int n = messages.size();
        String[] ids = new String[n];
        Integer[] seqs = new Integer[n];
        String[] texts = new String[n];
        String[] userIds = new String[n];
        String[] names = new String[n];
        String[] roles = new String[n];
        // ISO-8601 text, read by PostgreSQL as timestamptz (the driver has no encoder for Timestamp arrays)
        String[] starts = new String[n];
        String[] ends = new String[n];
        Integer[] sourceIndexes = new Integer[n];
        Integer[] charStarts = new Integer[n];
        Integer[] charEnds = new Integer[n];
        Integer[] turns = new Integer[n];
        for (int i = 0; i < n; i++) {
            StoredMessage message = messages.get(i);
            Speaker from = message.from();
            ids[i] = message.id();
            seqs[i] = message.sequence();
            texts[i] = message.text();
            userIds[i] = from == null ? null : from.userId();
            names[i] = from == null ? null : from.name();
            roles[i] = from == null ? null : from.role();
            starts[i] = message.startTime() == null ? null : message.startTime().toString();
            ends[i] = message.endTime() == null ? null : message.endTime().toString();
            sourceIndexes[i] = message.sourceIndex();
            charStarts[i] = message.charStart();
            charEnds[i] = message.charEnd();
            turns[i] = message.turn() < 0 ? null : message.turn();
        }
        jdbc.sql("""
                insert into conversation_message (id, conversation_id, seq, text, from_user_id, from_name,
                    from_role, start_time, end_time, source_index, char_start, char_end, turn, created_on,
                    detection_pending)
                select m.id, :conversation, m.seq, m.text, m.user_id, m.name, m.role, m.start_time, m.end_time,
                    m.source_index, m.char_start, m.char_end, m.turn, :now, :pending
                from unnest(cast(:ids as text[]), cast(:seqs as int[]), cast(:texts as text[]),
                            cast(:userIds as text[]), cast(:names as text[]), cast(:roles as text[]),
                            cast(:starts as timestamptz[]), cast(:ends as timestamptz[]),
                            cast(:sourceIndexes as int[]), cast(:charStarts as int[]), cast(:charEnds as int[]),
                            cast(:turns as int[]))
                     as m(id, seq, text, user_id, name, role, start_time, end_time, source_index, char_start,
                          char_end, turn)""")
                .param("conversation", conversationId).param("ids", ids).param("seqs", seqs)
                .param("texts", texts).param("userIds", userIds).param("names", names).param("roles", roles)
                .param("starts", starts).param("ends", ends).param("sourceIndexes", sourceIndexes)
                .param("charStarts", charStarts).param("charEnds", charEnds).param("turns", turns)
                .param("now", Timestamp.from(now)).param("pending", detectionPending)
                .update();
        messages.stream().filter(message -> message.sequence() == 1 && message.startTime() != null).findFirst()
                .ifPresent(first -> jdbc.sql("update conversation set started_on = :start where id = :conversation")
                        .param("start", Timestamp.from(first.startTime())).param("conversation", conversationId)
                        .update());
    }

    void detectionDone(String conversationId, List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update conversation_message set detection_pending = false
                where conversation_id = :conversation and id = any(:ids) and detection_pending""")
                .param("conversation", conversationId).param("ids", messageIds.toArray(String[]::new))
                .update();
    }

    /** Whose a streamed conversation is and the trackers its stream resolved (JSON), for recovery. */
    record StreamOwner(AccountId account, String conversationId, String trackersJson) {
    }

    record PendingSentence(StreamOwner owner, StoredMessage message) {
    }

    /** Sentences still marked pending that were stored before {@code before}, oldest first. */
    List<PendingSentence> pendingDetections(Instant before, int limit) {
        return jdbc.sql("""
                select m.*, c.account_id, c.stream_trackers::text stream_trackers
                from conversation_message m join conversation c on c.id = m.conversation_id
                where m.detection_pending and m.created_on < :before
                order by m.created_on, m.conversation_id, m.seq limit :limit""")
                .param("before", Timestamp.from(before)).param("limit", limit)
                .query((rs, row) -> new PendingSentence(new StreamOwner(
                        new AccountId(rs.getObject("account_id", UUID.class)),
                        rs.getString("conversation_id"), rs.getString("stream_trackers")), message(rs)))
                .list();
    }

    List<StoredMessage> messages(String conversationId, int fromSeq, int toSeq) {
        return jdbc.sql("""
                select * from conversation_message
                where conversation_id = :id and seq between :from and :to order by seq""")
                .param("id", conversationId).param("from", fromSeq).param("to", toSeq)
                .query((rs, row) -> message(rs))
                .list();
    }

    /**
     * The account's sentences with these ids and every other sentence of their messages (turns), by conversation, in
     * conversation order; sentences of other accounts are not read.
     */
    Map<String, List<StoredMessage>> sentencesWithTheirMessages(AccountId account, Set<String> ids) {
        Map<String, List<StoredMessage>> byConversation = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return byConversation;
        }
        List<Map.Entry<String, StoredMessage>> asked = jdbc.sql("""
                select m.* from conversation_message m join conversation c on c.id = m.conversation_id
                where c.account_id = :account and m.id in (:ids)""")
                .param("account", account.value()).param("ids", ids)
                .query((rs, row) -> Map.entry(rs.getString("conversation_id"), message(rs)))
                .list();
        Set<String> messages = new HashSet<>(); // conversation id and turn
        Set<String> conversations = new HashSet<>();
        Set<Integer> turns = new HashSet<>();
        for (Map.Entry<String, StoredMessage> sentence : asked) {
            if (sentence.getValue().turn() >= 0) {
                messages.add(sentence.getKey() + "/" + sentence.getValue().turn());
                conversations.add(sentence.getKey());
                turns.add(sentence.getValue().turn());
            }
        }
        // by the (conversation_id, seq) index: the asked conversations' rows of the asked turn numbers, of which
        // only the asked (conversation, turn) pairs are kept
        List<Map.Entry<String, StoredMessage>> found = new ArrayList<>(asked);
        if (!messages.isEmpty()) {
            jdbc.sql("""
                    select * from conversation_message
                    where conversation_id in (:conversations) and turn in (:turns)""")
                    .param("conversations", conversations).param("turns", turns)
                    .query((rs, row) -> Map.entry(rs.getString("conversation_id"), message(rs)))
                    .list().stream()
                    .filter(e -> messages.contains(e.getKey() + "/" + e.getValue().turn())
                            && !ids.contains(e.getValue().id()))
                    .forEach(found::add);
        }
        found.sort(Comparator.<Map.Entry<String, StoredMessage>, String>comparing(Map.Entry::getKey)
                .thenComparingInt(e -> e.getValue().sequence()));
        found.forEach(e -> byConversation.computeIfAbsent(e.getKey(), id -> new ArrayList<>()).add(e.getValue()));
        return byConversation;
    }

    /** Every sentence of the given turns (messages as the client sent them), in conversation order. */
    List<StoredMessage> sentencesOfTurns(String conversationId, java.util.Collection<Integer> turns) {
        if (turns.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select * from conversation_message
                where conversation_id = :id and turn in (:turns) order by seq""")
                .param("id", conversationId).param("turns", turns)
                .query((rs, row) -> message(rs))
                .list();
    }

    /** At most {@code limit} messages with sequence numbers above {@code afterSeq}, in order. */
    List<StoredMessage> messagesAfter(String conversationId, int afterSeq, int limit) {
        return jdbc.sql("""
                select * from conversation_message
                where conversation_id = :id and seq > :after order by seq limit :limit""")
                .param("id", conversationId).param("after", afterSeq).param("limit", limit)
                .query((rs, row) -> message(rs))
                .list();
    }

    /**
     * Locks the conversation's row until the transaction ends, serialising the writers of its hits (and a delete
     * with them), and answers its start ({@code started_on}), or empty for an unknown conversation or one of another
     * account.
     */
    Optional<Instant> lockForHits(AccountId account, String id) {
        return jdbc.sql("""
                select started_on from conversation
                where id = :id and account_id = :account
                for update""")
                .param("id", id).param("account", account.value())
                .query((rs, row) -> instant(rs, "started_on"))
                .optional();
    }

    /**
     * Hits are inserted in one statement, and once: a retried job finding the same (message, tracker, phrase)
     * again is a no-op. Hits naming a message of another conversation match no row and are dropped. Answers the
     * hits actually inserted, in order; the {@code first…} flags and the phrase counted (the best-scoring hit of a
     * (message, tracker) that had none stored) compare with the hits stored before this statement (its snapshot), so
     * they are exact only while the caller holds {@link #lockForHits}.
     */
    List<HitsStored.Hit> insertHits(String conversationId, List<TrackerHit> hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        int n = hits.size();
        String[] messages = new String[n];
        String[] trackerIds = new String[n];
        String[] trackerNames = new String[n];
        String[] phrases = new String[n];
        Integer[] offsets = new Integer[n];
        Double[] scores = new Double[n];
        Integer[] starts = new Integer[n];
        Integer[] ends = new Integer[n];
        for (int i = 0; i < n; i++) {
            TrackerHit hit = hits.get(i);
            messages[i] = hit.messageId();
            trackerIds[i] = hit.trackerId();
            trackerNames[i] = hit.trackerName();
            phrases[i] = hit.phrase();
            offsets[i] = hit.offset();
            scores[i] = hit.score();
            starts[i] = hit.start();
            ends[i] = hit.end();
        }
        return jdbc.sql("""
                with inserted as (
                    insert into tracker_hit (conversation_id, message_id, tracker_id, tracker_name, phrase,
                        phrase_offset, score, span_start, span_end, phrase_counted)
                    select m.conversation_id, m.id, h.tracker_id, h.tracker_name, h.phrase, h.phrase_offset, h.score,
                        h.span_start, h.span_end,
                        -- the phrase counted: the best score; among literal ones (1.0), the first said
                        row_number() over (partition by h.message_id, h.tracker_id order by h.score desc,
                                           h.phrase_offset < 0, h.phrase_offset, h.position) = 1
                            and not exists (select 1 from tracker_hit t
                                            where t.message_id = h.message_id and t.tracker_id = h.tracker_id)
                    from unnest(cast(:messages as text[]), cast(:trackerIds as text[]),
                                cast(:trackerNames as text[]), cast(:phrases as text[]), cast(:offsets as int[]),
                                cast(:scores as float8[]), cast(:starts as int[]), cast(:ends as int[]))
                         with ordinality as h(message_id, tracker_id, tracker_name, phrase, phrase_offset, score,
                                              span_start, span_end, position)
                    join conversation_message m on m.id = h.message_id and m.conversation_id = :conversation
                    order by h.position
                    on conflict on constraint tracker_hit_unique do nothing
                    returning id, message_id, tracker_id, tracker_name, phrase, phrase_counted)
                select i.message_id, i.tracker_id, i.tracker_name, i.phrase, m.from_role, i.phrase_counted,
                    row_number() over (partition by i.message_id, i.tracker_id order by i.id) = 1
                        and not exists (select 1 from tracker_hit t
                                        where t.message_id = i.message_id and t.tracker_id = i.tracker_id)
                        first_of_message,
                    row_number() over (partition by i.tracker_id order by i.id) = 1
                        and not exists (select 1 from tracker_hit t
                                        where t.conversation_id = :conversation and t.tracker_id = i.tracker_id)
                        first_of_conversation
                from inserted i join conversation_message m on m.id = i.message_id
                order by i.id""")
                .param("conversation", conversationId).param("messages", messages)
                .param("trackerIds", trackerIds).param("trackerNames", trackerNames).param("phrases", phrases)
                .param("offsets", offsets).param("scores", scores).param("starts", starts).param("ends", ends)
                .query((rs, row) -> new HitsStored.Hit(rs.getString("message_id"), rs.getString("tracker_id"),
                        rs.getString("tracker_name"), rs.getString("phrase"), rs.getString("from_role"),
                        rs.getBoolean("phrase_counted"), rs.getBoolean("first_of_message"),
                        rs.getBoolean("first_of_conversation")))
                .list();
    }

    /** Hits in message order, then in the order the detector reported them. */
    /**
     * The ids of the conversation's hits in the order of the Conversation API's tracker array
     * ({@link io.opentrackers.matching.TrackerResultsView}): by tracker in the order of its first hit, within it by
     * phrase in the order of the phrase's first hit, then in message order. Eight bytes a hit, held in primitives.
     */
    long[] hitIdsInResultOrder(String conversationId) {
        LongStream.Builder ids = LongStream.builder();
        jdbc.sql("""
                with positioned as (
                    select h.id, h.tracker_id, h.phrase, row_number() over (order by m.seq, h.id) position
                    from tracker_hit h join conversation_message m on m.id = h.message_id
                    where h.conversation_id = :id),
                grouped as (
                    select id, position, min(position) over (partition by tracker_id) tracker_first,
                           min(position) over (partition by tracker_id, phrase) phrase_first
                    from positioned)
                select id from grouped order by tracker_first, phrase_first, position""")
                .param("id", conversationId)
                .query((RowCallbackHandler) rs -> ids.add(rs.getLong(1)));
        return ids.build().toArray();
    }

    /** A hit with its message's text and speaker, as the Conversation API's tracker array shows it. */
    record HitRow(TrackerHit hit, String text, Speaker from) {
    }

    /** The hits of these ids that still exist, in the order of the ids. */
    List<HitRow> hitRows(long[] hitIds) {
        Map<Long, HitRow> byId = new HashMap<>(hitIds.length * 2);
        jdbc.sql("""
                select h.*, m.text, m.from_user_id, m.from_name, m.from_role
                from tracker_hit h join conversation_message m on m.id = h.message_id
                where h.id = any(:ids)""")
                .param("ids", Arrays.stream(hitIds).boxed().toArray(Long[]::new))
                .query((RowCallbackHandler) rs -> byId.put(rs.getLong("id"), new HitRow(
                        new TrackerHit(rs.getString("message_id"), rs.getString("tracker_id"),
                                rs.getString("tracker_name"), rs.getString("phrase"), rs.getInt("phrase_offset"),
                                rs.getDouble("score"), rs.getInt("span_start"), rs.getInt("span_end")),
                        rs.getString("text"), Speaker.ofNullable(rs.getString("from_user_id"),
                                rs.getString("from_name"), rs.getString("from_role")))));
        List<HitRow> rows = new ArrayList<>(byId.size());
        for (long id : hitIds) {
            HitRow row = byId.get(id);
            if (row != null) { // else deleted since the ids were read, with its conversation
                rows.add(row);
            }
        }
        return rows;
    }

    List<TrackerHit> hits(String conversationId) {
        return jdbc.sql("""
                select h.* from tracker_hit h join conversation_message m on m.id = h.message_id
                where h.conversation_id = :id order by m.seq, h.id""")
                .param("id", conversationId)
                .query((rs, row) -> new TrackerHit(rs.getString("message_id"), rs.getString("tracker_id"),
                        rs.getString("tracker_name"), rs.getString("phrase"), rs.getInt("phrase_offset"),
                        rs.getDouble("score"), rs.getInt("span_start"), rs.getInt("span_end")))
                .list();
    }

    private static StoredMessage message(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getString("id"), rs.getString("text"),
                Speaker.ofNullable(rs.getString("from_user_id"), rs.getString("from_name"), rs.getString("from_role")),
                instant(rs, "start_time"), instant(rs, "end_time"), rs.getInt("seq"), rs.getInt("source_index"),
                rs.getInt("char_start"), rs.getInt("char_end"), turn(rs));
    }

    private static int turn(ResultSet rs) throws SQLException {
        int turn = rs.getInt("turn");
        return rs.wasNull() ? -1 : turn;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
