package io.opentrackers.streaming;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.conversation.Conversation;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.conversation.MessageRules;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.ConversationTimeline;
import io.opentrackers.matching.MessageContext;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerResultsView;
import io.opentrackers.streaming.ClientFrames.StartRequest;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerSelection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The Streaming API's use case, with no transport in it: start a stream (choose its trackers, create its
 * conversation), take messages (check them, store final ones, detect hits through the {@link DetectionBatcher},
 * store and deliver them) and stop (deliver what is pending, then complete). Final messages are stored in a
 * streaming conversation, so the ids delivered with hits are the ids the Conversation API shows afterwards.
 */
@Service
class StreamService {

    private static final Logger log = LoggerFactory.getLogger(StreamService.class);

    /**
     * What a stream that applies no tracker is told with started_listening, in a job's words: such a stream stored its
     * messages and never reported a hit, and nothing told the client why.
     */
    static final String NO_TRACKERS = TrackerSelection.noTrackerApplied("this stream", "it was started",
            "config.trackers.enableAllTrackers", "send stop_request, then start_request again");

    private final ConversationService conversations;
    private final TrackerCatalog catalog;
    private final DetectionBatcher batcher;
    private final Timer storeMessagesTime;
    private final Timer storeHitsTime;
    private final Timer responseTime;

    /** See {@link StreamingProperties#maxSentences()}. */
    private final int maxSentences;

    StreamService(ConversationService conversations, TrackerCatalog catalog, DetectionBatcher batcher,
            StreamingProperties properties, MeterRegistry meters) {
        this.conversations = conversations;
        this.maxSentences = properties.maxSentences();
        this.catalog = catalog;
        this.batcher = batcher;
        this.storeMessagesTime = StreamingTimers.register(meters, "trackers.streaming.store.messages",
                "Time to store the final messages of one message_request");
        this.storeHitsTime = StreamingTimers.register(meters, "trackers.streaming.store.hits",
                "Time to store the hits of one message_request");
        this.responseTime = StreamingTimers.register(meters, "trackers.streaming.response",
                "From receiving a message_request to sending its final tracker_response");
    }

    /**
     * Starts a stream (its conversation created); refuses (InvalidInputException naming the field) a bad speaker or
     * tracker. The caller attaches it to its connection, then tells the client ({@link StreamOutput#started}), with
     * the stream's {@link LiveStream#warnings}.
     */
    LiveStream start(AccountId account, StartRequest request, StreamOutput output) {
        List<FieldViolation> violations = new ArrayList<>();
        MessageRules.checkSpeaker("speaker", request.speaker(), violations);
        MessageRules.checkSpeakerRoles("speakerRoles", request.speakerRoles(), violations);
        MessageRules.checkConversationName("config.meetingTitle", request.meetingTitle(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        TrackerSet trackers = new TrackerSet(account, catalog.resolve(account,
                new TrackerSelection(request.trackers(), request.enableAllTrackers())));
        // the resolved definitions are kept with the conversation: if the process dies between storing a sentence
        // and its hits, StreamRecovery detects it later with exactly these trackers
        Conversation conversation = conversations.createStreaming(account, request.meetingTitle(),
                trackers.trackers());
        Speaker speaker = MessageRules.withRole(request.speaker(), request.speakerRoles());
        return new LiveStream(account, conversation.id(), trackers, request.interimResults(),
                speaker, rolesWithTheSpeakers(speaker, request.speakerRoles()),
                trackers.trackers().isEmpty() ? List.of(NO_TRACKERS) : List.of(), output);
    }

    /**
     * The start request's {@code speaker} with a role gives that role to the messages that name the same speaker
     * (its {@code userId} or {@code name}) in their own {@code from} without one, as {@code speakerRoles} does; a
     * role {@code speakerRoles} gives them wins. Symbl's SDKs send the speaker once at the start and then each
     * message's {@code from}: before, an agent's own messages lost the role and her {@code speaker: agent} trackers
     * never fired on them.
     */
    private static Map<String, String> rolesWithTheSpeakers(Speaker speaker, Map<String, String> speakerRoles) {
        Map<String, String> roles = speakerRoles == null ? new HashMap<>() : new HashMap<>(speakerRoles);
        if (speaker != null && speaker.role() != null) {
            if (speaker.userId() != null) {
                roles.putIfAbsent(speaker.userId(), speaker.role());
            }
            if (speaker.name() != null) {
                roles.putIfAbsent(speaker.name(), speaker.role());
            }
        }
        return roles;
    }

    /**
     * Takes one message request: all messages are checked first (nothing is stored when one is bad). Interim
     * messages are only tracked (a final version follows); final ones are stored and tracked.
     */
    void message(LiveStream stream, List<IncomingMessage> messages, long receivedAtNanos) {
        if (stream.deleted()) {
            throw new ConversationGone(stream.deletedNotice());
        }
        List<NewMessage> checked = MessageRules.check(messages);
        int split = conversations.sentences(checked).size();
        if (split > maxSentences) {
            throw new InvalidInputException("messages", "the messages hold " + split + " sentences, at most "
                    + maxSentences + " per message_request (trackers.streaming.max-sentences); send them in several");
        }
        List<NewMessage> finals = new ArrayList<>();
        List<NewMessage> interims = new ArrayList<>();
        for (int i = 0; i < checked.size(); i++) {
            NewMessage message = checked.get(i);
            Speaker from = MessageRules.withRole(message.from() != null ? message.from() : stream.speaker(),
                    stream.speakerRoles());
            NewMessage spoken = new NewMessage(message.text(), from, message.startTime(), message.endTime());
            if (messages.get(i).finalText()) {
                finals.add(spoken);
            } else if (stream.interimResults()) {
                interims.add(spoken);
            }
        }
        if (!interims.isEmpty()) {
            // an interim message is decided where it would stand if it were final now: after the final ones so far
            Tracked interim = new Tracked(false);
            for (NewMessage message : interims) {
                // Interim text is not stored, so its ids only live in this response.
                MessageContext context = stream.contextsOfNext(List.of(turn(message))).get(0);
                interim.add("interim-" + UUID.randomUUID(), message.text(), message.from(), context, null);
            }
            deliver(stream, interim, batcher.detect(stream, stream.trackers(), interim.messages()),
                    receivedAtNanos);
        }
        if (!finals.isEmpty()) {
            // the stream is busy from before its message_response is sent until the hits are delivered: a shutdown
            // that began after the client read the message_response, but before deliver() tracked the detection,
            // found nothing pending and closed the connection without the hits
            CompletableFuture<Void> answered = new CompletableFuture<>();
            stream.track(answered);
            CompletableFuture<Void> delivered = CompletableFuture.completedFuture(null);
            try {
                delivered = storeAndDeliver(stream, finals, receivedAtNanos);
            } finally {
                delivered.whenComplete((result, error) -> answered.complete(null));
            }
        }
    }

    /** Stores final messages, sends their message_response and delivers their hits (the work it returns). */
    private CompletableFuture<Void> storeAndDeliver(LiveStream stream, List<NewMessage> finals, long receivedAtNanos) {
        List<StoredMessage> sentences = conversations.sentences(finals);
        List<ConversationTimeline.Turn> turns = finals.stream().map(StreamService::turn).toList();
        List<MessageContext> contexts = stream.contextsOfNext(turns);
        Tracked tracked = new Tracked(true);
        // each sentence is read in the message it was cut from, as /v1/match and jobs read it
        sentences.forEach(sentence -> tracked.add(sentence.id(), sentence.text(), sentence.from(),
                contexts.get(sentence.sourceIndex()), finals.get(sentence.sourceIndex()).text()));
        // Detection starts before the sentences are stored: the commit overlaps with the embedding instead
        // of adding to every message's latency. Their ids are final already. If storing fails the detection
        // result is dropped (nothing is delivered or stored for messages that do not exist).
        CompletableFuture<TrackerDetector.HitsAndVectors> hits = batcher.detect(stream, stream.trackers(),
                tracked.messages());
        // With trackers, the sentences are stored marked as awaiting detection until their hits are recorded
        // (recordDetection, one transaction), so that a crash in between leaves them for StreamRecovery.
        boolean detects = !stream.trackers().trackers().isEmpty();
        List<StoredMessage> stored;
        try {
            stored = storeMessagesTime.record(() -> detects
                    ? conversations.appendAwaitingDetection(stream.account(), stream.conversationId(), sentences)
                    : conversations.appendSentences(stream.account(), stream.conversationId(), sentences));
        } catch (NotFoundException e) {
            // deleted through the API (perhaps on another instance): the messages are not stored anywhere
            stream.markDeleted();
            throw new ConversationGone(stream.deletedNotice());
        }
        stream.append(turns, stored);
        stream.output().stored(stored);
        return deliver(stream, tracked, hits, receivedAtNanos);
    }

    private static ConversationTimeline.Turn turn(NewMessage message) {
        return new ConversationTimeline.Turn(message.from() == null ? null : message.from().role(),
                message.startTime(), message.endTime());
    }

    /**
     * Ends the stream: once every pending result is stored and delivered, the trackers whose window is anchored at
     * the end (which nothing could decide before) are decided on the messages that may lie in it, their hits sent
     * and stored; then the conversation is completed.
     */
    CompletableFuture<Void> stop(LiveStream stream) {
        CompletableFuture<Void> ended = stream.pending()
                .thenCompose(ignored -> stream.deleted() ? CompletableFuture.completedFuture(null) : endWindows(stream))
                .handle((ignored, error) -> {
                    if (error != null && deletedMeanwhile(stream, error)) {
                        log.info("Streaming conversation {} was deleted before its end windows were tracked",
                                stream.conversationId());
                    } else if (error != null) {
                        log.error("Tracking end windows failed on streaming conversation {}", stream.conversationId(),
                                error);
                        stream.output().failed("Tracking the trackers whose window is at the end of the "
                                + "conversation failed");
                    }
                    return null;
                });
        stream.track(ended);
        return ended.whenComplete((ignored, error) -> stream.output().completed(stream.conversationId()));
    }

    /**
     * Detects, with all the stream's trackers (so that each message is decided exactly as {@code /v1/match} and a job
     * decide it), the messages an end-anchored window may hold, keeping the hits of end-anchored trackers only: the
     * other trackers' hits were sent as the messages came.
     */
    private CompletableFuture<Void> endWindows(LiveStream stream) {
        List<TrackerDefinition> atEnd = stream.trackers().trackers().stream()
                .filter(t -> t.conditions().window() != null && t.conditions().window().atEnd()).toList();
        if (atEnd.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<MessageContext> contexts = stream.finalContexts();
        int first = -1;
        for (int turn = 0; turn < contexts.size() && first < 0; turn++) {
            MessageContext context = contexts.get(turn);
            if (atEnd.stream().anyMatch(t -> t.conditions().blocks(context) == null)) {
                first = turn;
            }
        }
        if (first < 0) {
            return CompletableFuture.completedFuture(null);
        }
        List<StoredMessage> sentences = conversations.messages(stream.account(), stream.conversationId(),
                stream.firstSequence(first), Integer.MAX_VALUE);
        Tracked tracked = new Tracked(true);
        // whole messages from the first one in an end window on: each sentence is read in its message, as before
        List<MessageText> matched = conversations.toMatch(stream.account(), stream.conversationId(), sentences,
                contexts);
        for (int i = 0; i < sentences.size(); i++) {
            StoredMessage sentence = sentences.get(i);
            tracked.add(sentence.id(), sentence.text(), sentence.from(), matched.get(i).context(),
                    matched.get(i).source());
        }
        Set<String> endTrackers = atEnd.stream().map(TrackerDefinition::id).collect(Collectors.toSet());
        return batcher.detect(stream, stream.trackers(), tracked.messages()).thenAccept(all -> {
            List<TrackerHit> hits = all.hits().stream().filter(hit -> endTrackers.contains(hit.trackerId())).toList();
            if (!hits.isEmpty()) {
                stream.output().hits(true, tracked.results(hits));
                conversations.recordHits(stream.account(), stream.conversationId(), hits);
            }
        });
    }

    /**
     * Delivers detected hits and, for final messages, stores them and marks the messages' detection done (also when
     * there are no hits). Hits are delivered first (storing is another commit the client would otherwise wait for);
     * the stream's pending work includes the storing, so completion comes only after every delivered hit is stored,
     * and from then on the Conversation API returns exactly what was streamed. Messages whose hits could not be
     * computed or stored stay marked, and {@link StreamRecovery} detects them again.
     *
     * <p>The results of a stream's requests are sent in the order the requests came ({@link ResultsInOrder}),
     * although their detection runs on several workers and finishes in any order: sent as they were ready, an interim
     * result could come after the final result of the message sent after it, and a client showing the latest result
     * replaced final hits with interim ones. Only sending (and, after it, storing) waits for the requests before;
     * detection does not, and neither do other streams.
     */
    private CompletableFuture<Void> deliver(LiveStream stream, Tracked tracked,
            CompletableFuture<TrackerDetector.HitsAndVectors> detected, long receivedAtNanos) {
        ResultsInOrder.Place place = stream.results().takePlace();
        CompletableFuture<Void> done = new CompletableFuture<>();
        detected.whenComplete((found, error) -> stream.results().ready(place, () -> {
            try {
                Detection detection = new Detection(found, error);
                send(stream, tracked, detection);
                if (detection.error() == null) {
                    store(stream, tracked, detection.found(), receivedAtNanos);
                }
            } catch (RuntimeException e) {
                trackingFailed(stream, tracked, e); // the hits could not be made into a frame
            } finally {
                done.complete(null);
            }
        }));
        stream.track(done);
        return done;
    }

    /** What detection of one request gave: its hits, or why there are none. */
    private record Detection(TrackerDetector.HitsAndVectors found, Throwable error) {
    }

    /** Sends a request's hits (a tracker_response if any hit), or the error saying its detection failed. */
    private static void send(LiveStream stream, Tracked tracked, Detection detection) {
        if (detection.error() != null) {
            trackingFailed(stream, tracked, detection.error());
        } else if (!detection.found().hits().isEmpty()) {
            stream.output().hits(tracked.isFinal(), tracked.results(detection.found().hits()));
        }
    }

    private static void trackingFailed(LiveStream stream, Tracked tracked, Throwable error) {
        log.error("Tracking failed on streaming conversation {}", stream.conversationId(), error);
        stream.output().failed("Tracking failed for " + tracked.size() + " message(s)"
                + (tracked.isFinal() ? ": the messages are stored; the service detects them again and stores "
                + "their hits later" : ""));
    }

    /** Stores the hits of final messages, once sent, and marks the messages' detection done. */
    private void store(LiveStream stream, Tracked tracked, TrackerDetector.HitsAndVectors found,
            long receivedAtNanos) {
        if (!tracked.isFinal() || stream.trackers().trackers().isEmpty()) {
            return;
        }
        List<TrackerHit> hits = found.hits();
        if (!hits.isEmpty()) {
            responseTime.record(System.nanoTime() - receivedAtNanos, TimeUnit.NANOSECONDS);
        }
        try {
            storeHitsTime.record(() -> conversations.recordDetection(stream.account(), stream.conversationId(),
                    tracked.ids(), hits, found.ownVectors()));
        } catch (NotFoundException e) {
            // deleted while these were being detected: there is nothing to store them in, nor to detect again
            if (stream.markDeleted()) {
                stream.output().failed(stream.deletedNotice());
            }
        } catch (RuntimeException e) {
            log.error("Storing hits failed on streaming conversation {}", stream.conversationId(), e);
            if (!hits.isEmpty()) {
                stream.output().failed("The hits sent for " + tracked.size() + " message(s) could not be stored "
                        + "yet: the service detects these messages again and stores their hits later");
            }
        }
    }

    /**
     * True when {@code error} (as a future completes with it) says the stream's conversation was deleted; marks the
     * stream, and tells the client if nothing had told it yet.
     */
    private static boolean deletedMeanwhile(LiveStream stream, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof NotFoundException)) {
            return false;
        }
        if (stream.markDeleted()) {
            stream.output().failed(stream.deletedNotice());
        }
        return true;
    }

    /**
     * A frame on a stream whose conversation was deleted: its message says so and what to do ({@link
     * LiveStream#deletedNotice}); the connection stays open.
     */
    static final class ConversationGone extends RuntimeException {

        ConversationGone(String message) {
            super(message);
        }
    }

    /** The messages of one request whose hits are delivered together, with what their hits are shown with. */
    private static final class Tracked {

        private final boolean isFinal;
        private final List<MessageText> messages = new ArrayList<>();
        private final Map<String, String> texts = new HashMap<>();
        private final Map<String, Speaker> speakers = new HashMap<>();

        Tracked(boolean isFinal) {
            this.isFinal = isFinal;
        }

        /** @param source the whole message a sentence was cut from, null when {@code text} is the whole message */
        void add(String id, String text, Speaker from, MessageContext context, String source) {
            messages.add(new MessageText(id, text, context, source));
            texts.put(id, text);
            if (from != null) {
                speakers.put(id, from);
            }
        }

        boolean isFinal() {
            return isFinal;
        }

        boolean isEmpty() {
            return messages.isEmpty();
        }

        int size() {
            return messages.size();
        }

        List<MessageText> messages() {
            return messages;
        }

        List<String> ids() {
            return messages.stream().map(MessageText::id).toList();
        }

        List<TrackerResultsView.TrackerResult> results(List<TrackerHit> hits) {
            return TrackerResultsView.group(hits, texts, speakers);
        }
    }
}
