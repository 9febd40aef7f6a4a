package io.opentrackers.streaming;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.account.AccountId;
import io.opentrackers.account.Accounts;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.conversation.Conversation;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerResultsView;
import io.opentrackers.streaming.ClientFrames.Message;
import io.opentrackers.streaming.ClientFrames.MessageRequest;
import io.opentrackers.streaming.ClientFrames.StartRequest;
import io.opentrackers.streaming.StreamSession.Stream;
import io.opentrackers.tracker.TrackerCatalog;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Streaming API protocol (api.md "Streaming API"): start_request → message_request* → stop_request on a
 * connection, text only. Final messages are stored in a streaming conversation (while their detection runs, through
 * the {@link DetectionBatcher}), so the ids streamed in {@code tracker_response}s are the ids the Conversation API
 * shows afterwards. Mistakes in a frame are answered with an {@code error} message and the connection
 * stays open: a client should be able to correct itself without reconnecting.
 */
@Component
class StreamingHandler extends TextWebSocketHandler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamingHandler.class);
    /** Keep-alive of the JS SDK (sent when reconnectOnError is on); it waits for the matching pong. */
    private static final String PING = "__PING__";
    private static final String PONG = "__PONG__";
    private static final String EXPECTED_TYPES = "expected start_request, message_request or stop_request";

    private final ConversationService conversations;
    private final TrackerCatalog catalog;
    private final DetectionBatcher batcher;
    private final LiveConnections liveConnections;
    private final StreamingProperties properties;
    private final JsonMapper json;
    private final Map<String, StreamSession> sessions = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService idleSweeper;
    private final Timer storeMessagesTime;
    private final Timer storeHitsTime;
    private final Timer responseTime;

    StreamingHandler(ConversationService conversations, TrackerCatalog catalog,
            DetectionBatcher batcher, LiveConnections liveConnections, StreamingProperties properties,
            JsonMapper json, MeterRegistry meters) {
        this.conversations = conversations;
        this.catalog = catalog;
        this.batcher = batcher;
        this.liveConnections = liveConnections;
        this.properties = properties;
        // The SDK sends fields we do not use; they are ignored rather than refused.
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.storeMessagesTime = StreamingTimers.register(meters, "trackers.streaming.store.messages",
                "Time to store the final messages of one message_request");
        this.storeHitsTime = StreamingTimers.register(meters, "trackers.streaming.store.hits",
                "Time to store the hits of one message_request");
        this.responseTime = StreamingTimers.register(meters, "trackers.streaming.response",
                "From receiving a message_request to sending its final tracker_response");
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        AccountId account = Accounts.of(socket.getPrincipal());
        String connectionId = connectionId(socket.getUri());
        int maxFrameSize = (int) Math.min(Integer.MAX_VALUE, properties.maxFrameSize().toBytes());
        StreamSession session = new StreamSession(socket, account, connectionId, json, maxFrameSize);
        if (!liveConnections.claim(connectionId, account, socket.getId())) {
            session.send(ServerFrames.error("Connection id '" + connectionId
                    + "' is already in use by another live connection; use a new connection id"));
            session.close(CloseStatus.POLICY_VIOLATION.withReason("connection id in use"));
            return;
        }
        sessions.put(socket.getId(), session);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        StreamSession session = sessions.remove(socket.getId());
        if (session != null) {
            liveConnections.release(session.connectionId(), socket.getId());
        }
    }

    /**
     * Frames arrive in parts once they exceed the container's small buffer, and are assembled per connection up to
     * {@code max-frame-size}. Letting the container buffer whole frames instead would cost every connection that
     * much memory up front (a 1MB limit allocated 3MB per connection, most of it garbage once it closed).
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        StreamSession session = sessions.get(socket.getId());
        if (session == null) {
            return;
        }
        session.touch();
        long receivedAtNanos = System.nanoTime();
        StreamSession.Frame assembled = session.assemble(message.getPayload(), message.isLast());
        if (assembled == null) {
            return;
        }
        if (assembled.tooLarge()) {
            session.send(ServerFrames.error("Frame is larger than " + properties.maxFrameSize().toKilobytes()
                    + " KB (trackers.streaming.max-frame-size); it was ignored. Send fewer messages or trackers per frame"));
            return;
        }
        String text = assembled.text();
        if (PING.equals(text)) {
            session.sendText(PONG);
            return;
        }
        try {
            JsonNode frame = json.readTree(text);
            if (frame == null || !frame.isObject()) {
                throw new FrameException("Frame must be a JSON object with a \"type\"; " + EXPECTED_TYPES);
            }
            JsonNode type = frame.get("type");
            if (type == null || !type.isString()) {
                throw new FrameException("Frame has no \"type\" string; " + EXPECTED_TYPES);
            }
            switch (type.asString()) {
                case "start_request" -> start(session, read(frame, StartRequest.class, "start_request"));
                case "message_request" -> message(session, read(frame, MessageRequest.class, "message_request"),
                        receivedAtNanos);
                case "stop_request" -> stop(session);
                default -> throw new FrameException("Unknown frame type '" + type.asString() + "'; " + EXPECTED_TYPES);
            }
        } catch (FrameException e) {
            session.send(ServerFrames.error(e.getMessage()));
        } catch (InvalidInputException e) {
            session.send(ServerFrames.error(e.getMessage()));
        } catch (JacksonException e) {
            session.send(ServerFrames.error("Frame is not valid JSON: " + e.getOriginalMessage()));
        } catch (RuntimeException e) {
            log.error("Streaming frame failed on connection {}", session.connectionId(), e);
            session.send(ServerFrames.error("The frame could not be processed because of a server error"));
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        StreamSession session = sessions.get(socket.getId());
        if (session != null && message.isLast()) {
            session.touch();
            session.send(ServerFrames.error("Audio (binary) frames are not supported: this service tracks text. "
                    + "Send transcripts as {\"type\":\"message_request\",\"messages\":[…]} text frames"));
        }
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable exception) {
        log.debug("Transport error on streaming session {}", socket.getId(), exception);
    }

    private void start(StreamSession session, StartRequest request) {
        Stream current = session.stream();
        if (current != null) {
            throw new FrameException("A stream is already started on this connection (conversation "
                    + current.conversationId() + "); send stop_request before starting another. A second "
                    + "speaker joins by sending messages with their own \"from\"");
        }
        boolean requestedAny = request.trackers() != null && !request.trackers().isEmpty();
        Boolean enableAll = request.config() == null || request.config().trackers() == null ? null
                : request.config().trackers().enableAllTrackers();
        boolean interim = request.config() != null && request.config().trackers() != null
                && Boolean.TRUE.equals(request.config().trackers().interimResults());
        // As in the async API: without trackers and without enableAllTrackers, all account trackers apply.
        boolean includeAll = enableAll != null ? enableAll : !requestedAny;
        TrackerSet trackers = new TrackerSet(catalog.resolve(session.account(),
                requestedAny ? request.trackers() : List.of(), includeAll));
        String name = request.config() == null ? null : request.config().meetingTitle();
        Conversation conversation = conversations.create(session.account(), name, Conversation.SOURCE_STREAMING);
        session.start(new Stream(conversation.id(), trackers, interim, request.speaker()));
        session.send(ServerFrames.startedListening());
        session.send(ServerFrames.recognitionStarted(conversation.id()));
    }

    private void message(StreamSession session, MessageRequest request, long receivedAtNanos) {
        Stream stream = session.stream();
        if (stream == null) {
            throw new FrameException("message_request received before start_request: start a stream first");
        }
        List<Message> messages = request.messages();
        if (messages == null || messages.isEmpty()) {
            throw new InvalidInputException("messages", "must contain at least one message");
        }
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (message == null || message.payload() == null || message.payload().content() == null
                    || message.payload().content().isBlank()) {
                violations.add(FieldViolation.of("messages[" + i + "].payload.content", "is required and must not be blank"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        List<NewMessage> finals = new ArrayList<>();
        List<MessageText> interim = new ArrayList<>();
        Map<String, String> interimTexts = new HashMap<>();
        Map<String, Speaker> interimSpeakers = new HashMap<>();
        for (Message message : messages) {
            Speaker from = message.from() != null ? message.from() : stream.speaker();
            if (message.finalText()) {
                finals.add(new NewMessage(message.payload().content(), from,
                        message.duration() == null ? null : message.duration().startTime(),
                        message.duration() == null ? null : message.duration().endTime()));
            } else if (stream.interimResults()) {
                // Interim text is not stored (a final version follows), so its ids only live in this response.
                String id = "interim-" + UUID.randomUUID();
                interim.add(new MessageText(id, message.payload().content()));
                interimTexts.put(id, message.payload().content());
                if (from != null) {
                    interimSpeakers.put(id, from);
                }
            }
        }
        if (!interim.isEmpty()) {
            CompletableFuture<List<TrackerHit>> hits = batcher.detect(stream.trackers(), interim);
            sendHits(session, stream, hits, interimTexts, interimSpeakers, false, receivedAtNanos);
        }
        if (!finals.isEmpty()) {
            List<StoredMessage> sentences = conversations.sentences(finals);
            Map<String, String> texts = new LinkedHashMap<>();
            Map<String, Speaker> speakers = new HashMap<>();
            List<MessageText> toDetect = new ArrayList<>();
            for (StoredMessage sentence : sentences) {
                texts.put(sentence.id(), sentence.text());
                toDetect.add(new MessageText(sentence.id(), sentence.text()));
                if (sentence.from() != null) {
                    speakers.put(sentence.id(), sentence.from());
                }
            }
            // Detection starts before the sentences are stored: the commit (2-6 ms) overlaps with the embedding
            // instead of adding to every message's latency. Their ids are final already. If storing fails the
            // detection result is dropped (nothing is sent or stored for messages that do not exist).
            CompletableFuture<List<TrackerHit>> hits = batcher.detect(stream.trackers(), toDetect);
            List<StoredMessage> stored = storeMessagesTime.record(
                    () -> conversations.appendSentences(session.account(), stream.conversationId(), sentences));
            session.send(ServerFrames.messageResponse(stored));
            sendHits(session, stream, hits, texts, speakers, true, receivedAtNanos);
        }
    }

    /**
     * Sends the tracker_response of detected hits and, for final messages, stores the hits. The frame goes first
     * (storing is another commit the client would otherwise wait for); the stream's pending work includes the
     * storing, so conversation_completed still comes only after every streamed hit is stored, and from then on
     * the Conversation API returns exactly what was streamed.
     */
    private void sendHits(StreamSession session, Stream stream, CompletableFuture<List<TrackerHit>> detected,
            Map<String, String> texts, Map<String, Speaker> speakers, boolean isFinal, long receivedAtNanos) {
        CompletableFuture<Void> done = detected.thenAccept(hits -> {
            if (!hits.isEmpty()) {
                session.sendTrackerResponse(isFinal, TrackerResultsView.group(hits, texts, speakers));
                if (isFinal) {
                    responseTime.record(System.nanoTime() - receivedAtNanos, TimeUnit.NANOSECONDS);
                }
            }
            if (isFinal && !hits.isEmpty()) {
                try {
                    storeHitsTime.record(() -> conversations.recordHits(session.account(), stream.conversationId(), hits));
                } catch (RuntimeException e) {
                    log.error("Storing hits failed on streaming conversation {}", stream.conversationId(), e);
                    session.send(ServerFrames.error("The hits sent for " + texts.size() + " message(s) could not be "
                            + "stored: the Conversation API will not show them"));
                }
            }
        }).exceptionally(error -> {
            log.error("Tracking failed on streaming conversation {}", stream.conversationId(), error);
            session.send(ServerFrames.error("Tracking failed for " + texts.size() + " message(s)"
                    + (isFinal ? ": the messages are stored but their hits could not be computed" : "")));
            return null;
        });
        session.track(done);
    }

    private void stop(StreamSession session) {
        Stream stream = session.stream();
        if (stream == null) {
            throw new FrameException("stop_request received but no stream is started on this connection");
        }
        session.stop().whenComplete((ignored, error) ->
                session.send(ServerFrames.conversationCompleted(stream.conversationId())));
    }

    private <T> T read(JsonNode frame, Class<T> type, String what) {
        try {
            return json.treeToValue(frame, type);
        } catch (JacksonException e) {
            String path = e.getPath().isEmpty() ? "" : " at " + describe(e.getPath());
            throw new FrameException("Invalid " + what + path + ": " + e.getOriginalMessage());
        }
    }

    private static String describe(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String connectionId(URI uri) {
        String path = uri == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private void closeIdleSessions() {
        long limit = properties.idleTimeout().toNanos();
        for (StreamSession session : sessions.values()) {
            if (session.idleNanos() > limit && !session.busy()) {
                session.send(ServerFrames.error("Closing the connection: no frame received for "
                        + properties.idleTimeout().toSeconds() + "s (trackers.streaming.idle-timeout)"));
                session.close(CloseStatus.NORMAL.withReason("idle timeout"));
            }
        }
    }

    @Override
    public void start() {
        idleSweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streaming-idle-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(50, Math.min(1000, properties.idleTimeout().toMillis() / 4));
        idleSweeper.scheduleWithFixedDelay(this::closeIdleSessions, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        idleSweeper.shutdownNow();
        idleSweeper = null;
    }

    @Override
    public boolean isRunning() {
        return idleSweeper != null;
    }

    /** A frame the protocol cannot act on; its message is sent to the client as is. */
    private static final class FrameException extends RuntimeException {

        FrameException(String message) {
            super(message);
        }
    }
}
