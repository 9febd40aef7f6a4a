package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.common.TextForms;
import io.opentrackers.matching.ConversationTimeline;
import io.opentrackers.matching.MessageContext;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerResultsView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conversation store shared by the Async API (jobs) and the Streaming API: conversations, their
 * sentence-level messages and the tracker hits found in them. Every method takes the owning account; a
 * conversation of another account behaves exactly like an unknown one ({@link NotFoundException}).
 * Methods join the caller's transaction when there is one, so a job can store messages and itself atomically.
 */
@Service
public class ConversationService {

    private static final TypeReference<List<TrackerDefinition>> TRACKERS = new TypeReference<>() {
    };

    /** Hits read per query when the tracker array is written: about 300 KB of rows. */
    static final int HIT_BATCH = 1000;

    private final ConversationRepository repository;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ConversationJobs jobs;
    private final boolean retentionSet;

    @Autowired
    ConversationService(ConversationRepository repository, JsonMapper json, ApplicationEventPublisher events,
            ConversationJobs jobs, ConversationProperties properties) {
        this(repository, json, Clock.systemUTC(), events, jobs, properties);
    }

    ConversationService(ConversationRepository repository, JsonMapper json, Clock clock,
            ApplicationEventPublisher events, ConversationJobs jobs, ConversationProperties properties) {
        this.repository = repository;
        this.json = json;
        this.clock = clock;
        this.events = events;
        this.jobs = jobs;
        this.retentionSet = !properties.retention().isZero();
    }

    /** A stored sentence of an account, for features that index them (teaching's suggestions). */
    public record AccountSentence(String conversationId, String messageId, String text) {
    }

    /**
     * Where the account's stored sentences stand: equal versions mean the same sentences. Sentences are added with
     * their conversation's messages and removed only with their whole conversation, which counts as a deletion; so
     * the number of sentences stored and the number of deletions together change whenever the set does (the number
     * alone can come back to an earlier value after a deletion and new messages).
     */
    public record SentencesVersion(long sentences, long deletions) {
    }

    /** The {@link SentencesVersion} of the account's stored sentences now, on whichever instance changed them. */
    @Transactional(readOnly = true)
    public SentencesVersion sentencesVersion(AccountId account) {
        return repository.sentencesVersion(account);
    }

    /** Every stored sentence of the account, oldest conversation first, in conversation order. */
    @Transactional(readOnly = true)
    public List<AccountSentence> accountSentences(AccountId account) {
        return repository.accountSentences(account);
    }

    /** Creates an empty conversation; {@code source} is {@link Conversation#SOURCE_ASYNC} or {@code SOURCE_STREAMING}. */
    @Transactional
    public Conversation create(AccountId account, String name, String source) {
        String id = UUID.randomUUID().toString();
        repository.insert(id, account, storedName(name), source, clock.instant());
        return get(account, id);
    }

    /**
     * One page of the account's conversations, newest first: at most {@code limit}, those listed after
     * {@code after} (null for the first page) with the first {@code offset} of them left out. {@code after} is the
     * {@code next} of the previous page, or the id of a conversation of the account (what {@code next} was before it
     * became a {@link ListPosition}). {@code next} is the {@code after} of the following page, or null on the last
     * one; it stays valid when its conversation is deleted. An {@code after} that is neither is refused
     * ({@link InvalidInputException} naming {@code afterField}). With {@code withTotal}, the page says how many
     * conversations the filter lets through in all.
     */
    @Transactional(readOnly = true)
    public ConversationList list(AccountId account, ConversationFilter filter, String after, String afterField,
            int offset, int limit, boolean withTotal) {
        ListPosition position = null;
        if (after != null) {
            position = ListPosition.parse(after).or(() -> repository.createdOn(account, after)
                    .map(createdOn -> new ListPosition(createdOn, after))).orElseThrow(() -> new InvalidInputException(
                    List.of(FieldViolation.of(afterField, "no conversation '" + after + "' in this account; "
                            + "pass the 'next' of the previous page"))));
        }
        // one row more than the page tells whether another page follows
        List<ConversationSummary> rows = repository.list(account, filter, position, offset, limit + 1);
        List<ConversationSummary> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        Map<String, String> statuses = page.isEmpty() ? Map.of()
                : jobs.statuses(account, page.stream().map(ConversationSummary::id).toList());
        List<ConversationSummary> items = page.stream().map(c -> c.withJobStatus(statuses.get(c.id()))).toList();
        return new ConversationList(items,
                rows.size() > limit ? ListPosition.after(items.get(limit - 1)).cursor() : null,
                withTotal ? repository.count(account, filter) : null);
    }

    /** Whether the account has stored hits of the tracker (one deleted since, or an inline one). */
    @Transactional(readOnly = true)
    public boolean hasStoredHits(AccountId account, String trackerId) {
        return repository.hasStoredHits(account, trackerId);
    }

    /** A page of {@link #list}; {@code next} is null on the last page, {@code total} when it was not asked for. */
    public record ConversationList(List<ConversationSummary> conversations, String next, Long total) {
    }

    /**
     * Creates an empty streaming conversation that keeps the tracker definitions its stream resolved at its start,
     * so that sentences whose detection a crash interrupted are detected later with the same trackers
     * ({@link #pendingDetections}).
     */
    @Transactional
    public Conversation createStreaming(AccountId account, String name, List<TrackerDefinition> trackers) {
        String id = UUID.randomUUID().toString();
        repository.insert(id, account, storedName(name), Conversation.SOURCE_STREAMING, clock.instant());
        repository.setStreamTrackers(id, json.writeValueAsString(trackers));
        repository.markLiveStreams(List.of(id), clock.instant().plus(LIVE_STREAM_MARK));
        return get(account, id);
    }

    /**
     * How long a live stream's mark keeps its conversation from the retention ({@link ConversationRetention}) without
     * being renewed: a stream can stay open without appending anything (pings), so its conversation's last activity
     * says nothing about whether it is still written to. Its instance renews the mark well within this time
     * ({@link #markLiveStreams}); the mark of an instance that died runs out after it.
     */
    public static final Duration LIVE_STREAM_MARK = Duration.ofMinutes(5);

    /**
     * Renews the mark of conversations that live streams of this instance write to, for {@link #LIVE_STREAM_MARK}
     * from now: the retention deletes none of them, on any instance, while it holds. Without a retention on this
     * instance nothing is written: the mark serves the retention alone, and an instance restarted with one marks
     * its streams from then on (a restart ends the streams it had, and every stream starts with a mark).
     */
    @Transactional
    public void markLiveStreams(Collection<String> conversationIds) {
        if (retentionSet && !conversationIds.isEmpty()) {
            repository.markLiveStreams(conversationIds, clock.instant().plus(LIVE_STREAM_MARK));
        }
    }

    /**
     * At most {@code limit} conversations of every account whose last activity is before {@code before}, oldest
     * first, after {@code after} (the last one of the previous page, or null): candidates for
     * {@link #deleteIfInactive}, read without a lock.
     */
    @Transactional(readOnly = true)
    List<ConversationRepository.Inactive> inactive(Instant before, ConversationRepository.Inactive after, int limit) {
        return repository.inactive(before, after, limit);
    }

    /**
     * Deletes the conversation as {@link #delete} does (the same effects: messages, hits, sentence vectors, jobs,
     * analytics, the deletion counted for suggestions) if, once it is locked, it is still inactive: last activity
     * before {@code before}, no live stream's mark after {@code now}, no job of it queued or running. A job is
     * submitted to a conversation with an append, which waits for this lock and then finds the conversation gone,
     * so a job cannot slip in between the check and the delete. A conversation locked by someone else (being written
     * to, or deleted by another instance's retention) is skipped: the next round decides it.
     *
     * @return whether it was deleted
     */
    @Transactional
    boolean deleteIfInactive(String conversationId, Instant before, Instant now) {
        Optional<AccountId> account = repository.lockIfInactive(conversationId, before, now);
        if (account.isEmpty() || jobs.hasUnfinishedJob(conversationId)) {
            return false;
        }
        delete(account.get(), conversationId);
        return true;
    }

    /**
     * Deletes the account's conversation and everything stored from it, in one transaction: its messages (and those a
     * stream stored awaiting detection), their hits and sentence vectors, its jobs (queued, running or done) with their
     * webhook notifications, and its share of the analytics rollups (taken back by the listeners of
     * {@link ConversationDeleted}). The conversation's row is locked first, so a job or stream storing hits in it
     * either commits before (and its rows are deleted too) or finds it gone afterwards; nothing is stored in a
     * deleted conversation. Examples labelled from its sentences are copies of their text and stay.
     *
     * @throws NotFoundException for an unknown id or another account's, alike
     */
    @Transactional
    public void delete(AccountId account, String conversationId) {
        Instant start = repository.lockForHits(account, conversationId).orElseThrow(() -> notFound(conversationId));
        events.publishEvent(new ConversationDeleted(account, conversationId, start,
                repository.storedHits(conversationId)));
        repository.delete(account, conversationId);
    }

    @Transactional(readOnly = true)
    public Conversation get(AccountId account, String conversationId) {
        return repository.find(account, conversationId).orElseThrow(() -> notFound(conversationId));
    }

    /** Gives the account's conversation a new name (an append that names it: Symbl's PUT takes a name too). */
    @Transactional
    public void rename(AccountId account, String conversationId, String name) {
        if (storedName(name) == null) {
            requireOwned(account, conversationId); // a blank name is no name: the conversation keeps its own
            return;
        }
        if (!repository.rename(account, conversationId, storedName(name), clock.instant())) {
            throw notFound(conversationId);
        }
    }

    /**
     * A conversation's name as stored: trimmed, in NFC, runs of white space as one space (as tracker names); a name
     * that is blank in any script (spaces, NBSP, zero-width) is no name.
     */
    private static String storedName(String name) {
        return name == null || TextForms.isBlank(name) ? null : TextForms.normalize(name);
    }

    /**
     * Appends messages after the conversation's last one. Each content is split into sentences; every sentence
     * becomes a stored message with its own id and its character range in the submitted content, and the
     * submitted start/end times are spread over the sentences in proportion to their position.
     *
     * @return the stored messages in conversation order
     */
    @Transactional
    public List<StoredMessage> append(AccountId account, String conversationId, List<NewMessage> messages) {
        return appendSentences(account, conversationId, sentences(messages));
    }

    /**
     * The sentences {@link #append} would store for {@code messages}, with their final ids and times but not yet
     * numbered ({@code sequence} 0). Nothing is stored: a caller can start work keyed by the ids (the Streaming
     * API starts detection) while {@link #appendSentences} stores them.
     */
    public List<StoredMessage> sentences(List<NewMessage> messages) {
        List<StoredMessage> sentences = new ArrayList<>();
        for (int index = 0; index < messages.size(); index++) {
            NewMessage message = messages.get(index);
            String content = message.text();
            List<SentenceSplitter.Sentence> split = SentenceSplitter.split(content);
            for (int i = 0; i < split.size(); i++) {
                SentenceSplitter.Sentence sentence = split.get(i);
                // the sentences cover the message's whole time: tracker windows read a message's times back from
                // its first and last sentence
                sentences.add(new StoredMessage(UUID.randomUUID().toString(), sentence.text(), message.from(),
                        i == 0 ? message.startTime() : timeAt(message, sentence.start(), content.length(), true),
                        i == split.size() - 1 ? message.endTime()
                                : timeAt(message, sentence.end(), content.length(), false),
                        0, index, sentence.start(), sentence.end()));
            }
        }
        return sentences;
    }

    /**
     * Stores sentences made by {@link #sentences} after the conversation's last message, numbering them.
     *
     * @return the stored messages in conversation order
     */
    @Transactional
    public List<StoredMessage> appendSentences(AccountId account, String conversationId, List<StoredMessage> sentences) {
        return appendSentences(account, conversationId, sentences, false);
    }

    /**
     * Like {@link #appendSentences(AccountId, String, List)}, and marks the sentences as awaiting detection until
     * {@link #recordDetection} stores their hits: sentences of a process that dies in between stay marked, and
     * {@link #pendingDetections} finds them.
     */
    @Transactional
    public List<StoredMessage> appendAwaitingDetection(AccountId account, String conversationId,
            List<StoredMessage> sentences) {
        return appendSentences(account, conversationId, sentences, true);
    }

    private List<StoredMessage> appendSentences(AccountId account, String conversationId,
            List<StoredMessage> sentences, boolean awaitingDetection) {
        Instant now = clock.instant();
        // the messages these sentences were cut from (every non-blank message has at least one sentence)
        int turns = sentences.stream().mapToInt(StoredMessage::sourceIndex).max().orElse(-1) + 1;
        ConversationRepository.Reserved reserved = repository.reserveSequence(account, conversationId,
                sentences.size(), turns, now).orElseThrow(() -> notFound(conversationId));
        int seq = reserved.seq();
        List<StoredMessage> stored = new ArrayList<>(sentences.size());
        for (StoredMessage sentence : sentences) {
            StoredMessage row = new StoredMessage(sentence.id(), sentence.text(), sentence.from(), sentence.startTime(),
                    sentence.endTime(), ++seq, sentence.sourceIndex(), sentence.charStart(), sentence.charEnd(),
                    reserved.turn() + sentence.sourceIndex());
            stored.add(row);
        }
        repository.insertMessages(conversationId, stored, now, awaitingDetection);
        return stored;
    }

    /**
     * Stored sentences as the matcher takes them: each with its message's context ({@code contexts}, by turn, see
     * {@link StoredMessage#toMatch(List)}) and the whole message it was cut from, rebuilt from all sentences of its
     * turn (also those outside {@code sentences}), so that a sentence is decided as inside the message the client
     * sent, whichever entry point carried it (docs/matching.md, "The message as context").
     */
    @Transactional(readOnly = true)
    public List<MessageText> toMatch(AccountId account, String conversationId, List<StoredMessage> sentences,
            List<MessageContext> contexts) {
        return toMatch(account, conversationId, sentences, contexts, Map.of());
    }

    /**
     * As {@link #toMatch(AccountId, String, List, List)}, reusing {@code known}: whole messages by turn as an earlier
     * call gave them ({@link MessageText#source()}), for a caller that reads a conversation's sentences in batches
     * (a job). A message that runs over many batches is then read from the database once, not once per batch: a job
     * of one message of 50,000 sentences read 9.9 million rows, its whole message again for each of 196 batches.
     */
    @Transactional(readOnly = true)
    public List<MessageText> toMatch(AccountId account, String conversationId, List<StoredMessage> sentences,
            List<MessageContext> contexts, Map<Integer, String> known) {
        requireOwned(account, conversationId);
        Set<Integer> turns = new TreeSet<>();
        sentences.stream().filter(sentence -> sentence.turn() >= 0 && !known.containsKey(sentence.turn()))
                .forEach(sentence -> turns.add(sentence.turn()));
        Map<Integer, String> wholeMessages = wholeMessages(repository.sentencesOfTurns(conversationId, turns));
        wholeMessages.putAll(known);
        return sentences.stream().map(sentence -> inItsMessage(sentence, contexts, wholeMessages)).toList();
    }

    /**
     * The whole message of each turn among {@code sentences} (in order), rebuilt once per turn, so that all the
     * sentences of a message carry one and the same text. Rebuilding it for each sentence made a message of n
     * sentences cost n copies of itself: a job of one 760 KB message of 20,000 sentences allocated gigabytes and grew
     * the process to 4.4 GB, and the matcher, which derives what it needs from a message once per text object,
     * derived it again for every sentence.
     */
    private static Map<Integer, String> wholeMessages(List<StoredMessage> sentences) {
        Map<Integer, List<StoredMessage>> byTurn = new HashMap<>();
        for (StoredMessage sentence : sentences) {
            byTurn.computeIfAbsent(sentence.turn(), turn -> new ArrayList<>()).add(sentence);
        }
        Map<Integer, String> wholeMessages = new HashMap<>();
        byTurn.forEach((turn, itsSentences) -> wholeMessages.put(turn, StoredMessage.joined(itsSentences)));
        return wholeMessages;
    }

    /** {@code wholeMessages}: by turn, as {@link #wholeMessages} gives them. */
    private static MessageText inItsMessage(StoredMessage sentence, List<MessageContext> contexts,
            Map<Integer, String> wholeMessages) {
        return sentence.toMatch(contexts, sentence.turn() >= 0 ? wholeMessages.get(sentence.turn()) : null);
    }

    /**
     * Stored sentences of the account as a job processing their conversations now would give them to the detector
     * ({@link #toMatch}): each in its whole message and with its conversation's speaker and window context, by
     * sentence id (which is also each one's message id). Three queries, however many conversations they come from.
     */
    @Transactional(readOnly = true)
    public Map<String, MessageText> asDetectedNow(AccountId account, List<AccountSentence> sentences) {
        Set<String> conversationIds = new LinkedHashSet<>();
        sentences.forEach(sentence -> conversationIds.add(sentence.conversationId()));
        // the conversations are the account's: its stored sentences name them
        Map<String, List<ConversationRepository.TurnRow>> turns = repository.turnsOf(conversationIds);
        Set<String> wanted = new HashSet<>(sentences.stream().map(AccountSentence::messageId).toList());
        Map<String, List<StoredMessage>> messages = repository.sentencesWithTheirMessages(account, wanted);
        Map<String, MessageText> byId = new LinkedHashMap<>();
        messages.forEach((conversationId, stored) -> {
            List<MessageContext> contexts = ConversationTimeline.contexts(
                    timeline(turns.getOrDefault(conversationId, List.of())), true);
            Map<Integer, String> wholeMessages = wholeMessages(stored);
            stored.stream().filter(sentence -> wanted.contains(sentence.id()))
                    .forEach(sentence -> byId.put(sentence.id(), inItsMessage(sentence, contexts, wholeMessages)));
        });
        return byId;
    }

    /**
     * Every message of the conversation as the client sent it (its sentences taken together), in order: what tracker
     * windows and speaker conditions are decided on.
     */
    @Transactional(readOnly = true)
    public List<ConversationTimeline.Turn> turns(AccountId account, String conversationId) {
        requireOwned(account, conversationId);
        return timeline(repository.turns(conversationId));
    }

    private static List<ConversationTimeline.Turn> timeline(List<ConversationRepository.TurnRow> rows) {
        List<ConversationTimeline.Turn> turns = new ArrayList<>();
        for (ConversationRepository.TurnRow row : rows) {
            while (turns.size() < row.turn()) {
                turns.add(new ConversationTimeline.Turn(null, null, null)); // a gap cannot occur; keeps positions
            }
            turns.add(new ConversationTimeline.Turn(row.role(), row.start(), row.end()));
        }
        return turns;
    }

    /**
     * One page of messages in conversation order: at most {@code limit} messages whose sequence numbers follow
     * {@code afterSequence} (0 for the first page). {@link MessagePage#next()} is the {@code afterSequence} of the
     * next page, or null when this page holds the last message.
     */
    @Transactional(readOnly = true)
    public MessagePage messagePage(AccountId account, String conversationId, int afterSequence, int limit) {
        requireOwned(account, conversationId);
        // one row more than the page tells whether another page follows without counting the conversation
        List<StoredMessage> rows = repository.messagesAfter(conversationId, afterSequence, limit + 1);
        if (rows.size() <= limit) {
            return new MessagePage(rows, null);
        }
        List<StoredMessage> page = rows.subList(0, limit);
        return new MessagePage(List.copyOf(page), page.get(limit - 1).sequence());
    }

    /** The messages with sequence numbers {@code fromSeq..toSeq} (inclusive), in order. */
    @Transactional(readOnly = true)
    public List<StoredMessage> messages(AccountId account, String conversationId, int fromSeq, int toSeq) {
        requireOwned(account, conversationId);
        return repository.messages(conversationId, fromSeq, toSeq);
    }

    /**
     * Stores hits found in the conversation's messages. Recording the same (message, tracker, phrase) twice
     * keeps the first, so a retried job cannot duplicate results. Hits naming a message of another
     * conversation are ignored.
     */
    @Transactional
    public void recordHits(AccountId account, String conversationId, List<TrackerHit> hits) {
        storeHits(account, conversationId, hits);
    }

    /**
     * {@link #recordHits}, with the vectors the detector computed for the sentences' own texts ({@code vectors[i]}
     * for the sentence {@code sentenceIds[i]}, null where it computed none), told to the listeners of
     * {@link SentencesEmbedded} in the same transaction.
     */
    @Transactional
    public void recordHits(AccountId account, String conversationId, List<TrackerHit> hits,
            List<String> sentenceIds, float[][] vectors) {
        storeHits(account, conversationId, hits);
        publishVectors(account, sentenceIds, vectors);
    }

    private void publishVectors(AccountId account, List<String> sentenceIds, float[][] vectors) {
        Map<String, float[]> byId = new HashMap<>();
        for (int i = 0; i < sentenceIds.size(); i++) {
            if (vectors[i] != null) {
                byId.put(sentenceIds.get(i), vectors[i]);
            }
        }
        if (!byId.isEmpty()) {
            events.publishEvent(new SentencesEmbedded(account, byId));
        }
    }

    /**
     * Stores the hits detected in {@code messageIds} (none is fine) and marks their detection done, in one
     * transaction: a sentence is either pending or has its hits. Recording twice stores each hit once.
     */
    @Transactional
    public void recordDetection(AccountId account, String conversationId, List<String> messageIds,
            List<TrackerHit> hits) {
        recordDetection(account, conversationId, messageIds, hits, new float[messageIds.size()][]);
    }

    /**
     * {@link #recordDetection}, with the vectors the detector computed for the sentences' own texts (as
     * {@link #recordHits(AccountId, String, List, List, float[][])}).
     */
    @Transactional
    public void recordDetection(AccountId account, String conversationId, List<String> messageIds,
            List<TrackerHit> hits, float[][] vectors) {
        storeHits(account, conversationId, hits);
        repository.detectionDone(conversationId, messageIds);
        publishVectors(account, messageIds, vectors);
    }

    /**
     * Stores the hits once each and tells the listeners of {@link HitsStored}, in the caller's transaction. The
     * conversation's row stays locked until that transaction ends, so two writers of one conversation (a stream's
     * detection workers, concurrent jobs) cannot both count the same first hit, and a delete of the conversation
     * waits for the caller's transaction: what it writes goes with the conversation, never after it. A deleted
     * conversation is a {@link NotFoundException}.
     */
    private void storeHits(AccountId account, String conversationId, List<TrackerHit> hits) {
        if (hits.isEmpty()) {
            // what the caller stores with no hits (detection marks, sentence vectors) must not outlive a delete
            if (!repository.existsLocked(account, conversationId)) {
                throw notFound(conversationId);
            }
            return;
        }
        Instant start = repository.lockForHits(account, conversationId).orElseThrow(() -> notFound(conversationId));
        List<HitsStored.Hit> stored = repository.insertHits(conversationId, hits);
        if (!stored.isEmpty()) {
            events.publishEvent(new HitsStored(account, conversationId, start, stored));
        }
    }

    /**
     * Streamed sentences stored before {@code storedBefore} whose detection was never recorded (the process died
     * between storing them and their hits, or detection failed), with the trackers of their stream; at most
     * {@code limit} sentences, oldest first, grouped by conversation in conversation order.
     */
    @Transactional(readOnly = true)
    public List<PendingDetection> pendingDetections(Instant storedBefore, int limit) {
        Map<String, List<StoredMessage>> byConversation = new LinkedHashMap<>();
        Map<String, ConversationRepository.StreamOwner> owners = new HashMap<>();
        for (ConversationRepository.PendingSentence pending : repository.pendingDetections(storedBefore, limit)) {
            byConversation.computeIfAbsent(pending.owner().conversationId(), id -> new ArrayList<>())
                    .add(pending.message());
            owners.putIfAbsent(pending.owner().conversationId(), pending.owner());
        }
        List<PendingDetection> result = new ArrayList<>(byConversation.size());
        byConversation.forEach((id, sentences) -> {
            ConversationRepository.StreamOwner owner = owners.get(id);
            List<TrackerDefinition> trackers = owner.trackersJson() == null ? List.of()
                    : json.readValue(owner.trackersJson(), TRACKERS);
            sentences.sort(Comparator.comparingInt(StoredMessage::sequence));
            result.add(new PendingDetection(owner.account(), id, trackers, List.copyOf(sentences)));
        });
        return result;
    }

    /**
     * Sentences of one streamed conversation that still need detection, and the trackers to detect them with.
     */
    public record PendingDetection(AccountId account, String conversationId, List<TrackerDefinition> trackers,
                                   List<StoredMessage> sentences) {
    }

    /**
     * Writes the Conversation API's tracker array (api.md "Results") over every hit stored so far, a batch of
     * {@value #HIT_BATCH} hits at a time: at the 50,000-sentence limit the whole array is tens of megabytes, which
     * the answer held at once before (figures in docs/performance.md). An unknown or foreign conversation is a
     * {@link NotFoundException} before {@code open} is called, so before anything is written. No transaction spans
     * the writing, so that a slow client holds no database connection; a conversation deleted meanwhile (its hits go
     * only with it) is a {@link NotFoundException} too, however far the writing got: before anything was sent the
     * client gets a 404, after that the answer is broken off (a shorter array would pass for all the hits).
     *
     * @param open opens the writer on the response; called once, after the conversation was found
     */
    public void writeTrackers(AccountId account, String conversationId, Supplier<TrackerResultsView.Writer> open) {
        requireOwned(account, conversationId);
        long[] ids = repository.hitIdsInResultOrder(conversationId);
        if (ids.length == 0) {
            // no hits, or none left: the conversation may have been deleted since it was checked, taking them
            requireOwned(account, conversationId);
        }
        TrackerResultsView.Writer writer = open.get();
        for (int from = 0; from < ids.length; from += HIT_BATCH) {
            long[] batch = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + HIT_BATCH));
            List<ConversationRepository.HitRow> rows = repository.hitRows(batch);
            if (rows.size() < batch.length) {
                throw notFound(conversationId); // deleted since its hits were listed
            }
            for (ConversationRepository.HitRow row : rows) {
                writer.write(row.hit(), row.text(), row.from());
            }
        }
        // not in a finally: an array closed after a failed read would be a whole answer to the client, with hits
        // missing (the caller breaks the answer off instead)
        writer.finish();
    }

    private static Instant timeAt(NewMessage message, int position, int length, boolean isStart) {
        Instant start = message.startTime();
        Instant end = message.endTime();
        if (start == null || end == null || !end.isAfter(start) || length == 0) {
            return isStart ? start : end;
        }
        long millis = Duration.between(start, end).toMillis();
        return start.plusMillis(millis * position / length);
    }

    /**
     * Checks that the conversation exists and is the account's, without loading it: get() counts its messages,
     * which grows with every message of a stream and is paid at every streamed hit.
     */
    private void requireOwned(AccountId account, String conversationId) {
        if (!repository.exists(account, conversationId)) {
            throw notFound(conversationId);
        }
    }

    private static NotFoundException notFound(String conversationId) {
        return new NotFoundException("Conversation '" + conversationId + "' not found");
    }
}
