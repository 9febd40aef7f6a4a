package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.ConversationTimeline;
import io.opentrackers.matching.MessageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stream between start and stop: whose it is, where it is stored, what it listens for, where its results go,
 * and the work still pending for it. Results come back on batcher callback threads, so the pending work is
 * guarded by this object's monitor.
 */
final class LiveStream {

    private final AccountId account;
    private final String conversationId;
    private final TrackerSet trackers;
    private final boolean interimResults;
    private final Speaker speaker;
    private final StreamOutput output;
    private final Map<String, String> speakerRoles;
    private final List<String> warnings;
    /**
     * The final messages so far, as the client sent them (what windows count), and the sequence number of each one's
     * first stored sentence. Written by the thread handling this connection's frames, read at the end by a result
     * callback thread, hence this object's monitor.
     */
    private final List<ConversationTimeline.Turn> turns = new ArrayList<>();
    private final List<Integer> firstSequences = new ArrayList<>();
    /** The requests' results, sent in the order the requests came. */
    private final ResultsInOrder results = new ResultsInOrder();
    /** Completes when every detection started for this stream has been stored and delivered. */
    private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);
    /** Set once the stream's conversation was deleted: nothing more is stored or tracked. */
    private final AtomicBoolean deleted = new AtomicBoolean();

    LiveStream(AccountId account, String conversationId, TrackerSet trackers, boolean interimResults,
            Speaker speaker, Map<String, String> speakerRoles, List<String> warnings, StreamOutput output) {
        this.speakerRoles = speakerRoles == null ? Map.of() : Map.copyOf(speakerRoles);
        this.warnings = List.copyOf(warnings);
        this.account = account;
        this.conversationId = conversationId;
        this.trackers = trackers;
        this.interimResults = interimResults;
        this.speaker = speaker;
        this.output = output;
    }

    AccountId account() {
        return account;
    }

    String conversationId() {
        return conversationId;
    }

    TrackerSet trackers() {
        return trackers;
    }

    boolean interimResults() {
        return interimResults;
    }

    /** What limits the stream's results from its start (no tracker applies), as a job's {@code warnings}; or none. */
    List<String> warnings() {
        return warnings;
    }

    /**
     * Records that the stream's conversation was deleted ({@code DELETE /v1/conversations/{id}}, on this instance or
     * another); true the first time only, so the client is told once.
     */
    boolean markDeleted() {
        return deleted.compareAndSet(false, true);
    }

    boolean deleted() {
        return deleted.get();
    }

    /** What the client is told when its stream's conversation was deleted, and when it sends more after that. */
    String deletedNotice() {
        return "Conversation '" + conversationId + "' was deleted (DELETE /v1/conversations/" + conversationId
                + "): this stream stores and tracks nothing more. Send stop_request, then start_request for a new "
                + "conversation";
    }

    /** Who speaks when a message names nobody ({@code speaker} of the start request), or null. */
    Speaker speaker() {
        return speaker;
    }

    StreamOutput output() {
        return output;
    }

    /** Role by speaker id or name ({@code speakerRoles} of the start request), for messages without a role. */
    Map<String, String> speakerRoles() {
        return speakerRoles;
    }

    /**
     * The contexts of messages if they came next (the conversation going on: end windows cannot be decided yet);
     * {@link #append} records final ones.
     */
    synchronized List<MessageContext> contextsOfNext(List<ConversationTimeline.Turn> next) {
        List<ConversationTimeline.Turn> all = new ArrayList<>(turns);
        all.addAll(next);
        return ConversationTimeline.contexts(all, false).subList(turns.size(), all.size());
    }

    /** Records final messages as stored: their turns, and each one's first stored sentence. */
    synchronized void append(List<ConversationTimeline.Turn> next, List<StoredMessage> stored) {
        int first = turns.size();
        turns.addAll(next);
        for (int i = 0; i < next.size(); i++) {
            firstSequences.add(Integer.MAX_VALUE);
        }
        for (StoredMessage sentence : stored) {
            int turn = first + sentence.sourceIndex();
            firstSequences.set(turn, Math.min(firstSequences.get(turn), sentence.sequence()));
        }
    }

    /** The contexts of every final message, the conversation being over. */
    synchronized List<MessageContext> finalContexts() {
        return ConversationTimeline.contexts(turns, true);
    }

    /** Sequence number of the first stored sentence of message {@code turn}. */
    synchronized int firstSequence(int turn) {
        return firstSequences.get(turn);
    }

    /** The line in which this stream's results are sent: in the order the requests came. */
    ResultsInOrder results() {
        return results;
    }

    synchronized void track(CompletableFuture<?> work) {
        CompletableFuture<Void> settled = work.handle((result, error) -> null);
        // start afresh when nothing is pending: chaining onto finished work kept every future of a long stream
        pending = pending.isDone() ? settled : CompletableFuture.allOf(pending, settled);
    }

    /** Completes once everything started so far is stored and delivered. */
    synchronized CompletableFuture<Void> pending() {
        return pending;
    }

    synchronized boolean busy() {
        return !pending.isDone();
    }
}
