package io.opentrackers.streaming;

import io.opentrackers.account.Accounts;
import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.JsonErrors;
import io.opentrackers.common.Misspellings;
import io.opentrackers.streaming.ClientFrames.MessageRequest;
import io.opentrackers.streaming.ClientFrames.StartRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Streaming API's WebSocket adapter (api.md "Streaming API"): turns frames into calls of the
 * {@link StreamService} (start_request → message_request* → stop_request on a connection, text only) and what the
 * stream delivers back into frames ({@link StreamSession}). Mistakes in a frame are answered with an
 * {@code error} message and the connection stays open: a client should be able to correct itself without
 * reconnecting.
 */
@Component
class StreamingHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamingHandler.class);
    /** Keep-alive of the JS SDK (sent when reconnectOnError is on); it waits for the matching pong. */
    private static final String PING = "__PING__";
    private static final String PONG = "__PONG__";
    private static final String EXPECTED_TYPES = "expected start_request, message_request or stop_request";
    /** A frame's {@code type} member, as a frame may misspell it ({@code "Type"}, {@code "tpye"}). */
    private static final Misspellings TYPE_MEMBER = Misspellings.of("type");
    /** The frame types, as a frame may misspell them ({@code "startRequest"}, {@code "Stop_Request"}). */
    private static final Misspellings FRAME_TYPES = Misspellings.of("start_request", "message_request", "stop_request");
    private static final String SHUTTING_DOWN = "The service is shutting down: the frame was not processed";
    /** How long a start_request waits for the stream stopped before it to deliver its last results. */
    private static final Duration PREVIOUS_STREAM_WAIT = Duration.ofSeconds(30);

    private final StreamService streams;
    private final StreamConnections connections;
    private final LiveConnections liveConnections;
    private final StreamingProperties properties;
    private final JsonMapper json;
    private final JsonMapper pythonDictRepr;

    StreamingHandler(StreamService streams, StreamConnections connections, LiveConnections liveConnections,
            StreamingProperties properties, JsonMapper json) {
        this.streams = streams;
        this.connections = connections;
        this.liveConnections = liveConnections;
        this.properties = properties;
        // The SDK sends fields we do not use; they are ignored rather than refused.
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.pythonDictRepr = this.json.rebuild().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        String connectionId = connectionId(socket.getUri());
        int maxFrameSize = (int) Math.min(Integer.MAX_VALUE, properties.maxFrameSize().toBytes());
        OutgoingFrames outgoing = new OutgoingFrames(OutgoingFrames.Socket.of(socket),
                properties.sendBufferSize().toBytes(), properties.sendTimeout().toNanos());
        StreamSession session = new StreamSession(outgoing, Accounts.accessToken(socket.getPrincipal()), connectionId,
                json, maxFrameSize);
        if (!connections.accepting()) {
            session.failed("The service is shutting down; reconnect to continue");
            session.close(CloseStatus.GOING_AWAY.withReason("service shutting down"));
            return;
        }
        String replaced = liveConnections.take(connectionId, session.account(), socket.getId());
        if (!connections.add(socket.getId(), session, replaced)) {
            // another handshake of the account passed the early check at the same time and took the last place
            liveConnections.release(connectionId, session.account(), socket.getId());
            session.failed(StreamingConfiguration.tooManyConnections(properties));
            session.close(CloseStatus.POLICY_VIOLATION.withReason("too many connections"));
            return;
        }
        StreamSession previous = replaced == null ? null : connections.get(replaced);
        if (previous != null) {
            // what the previous connection had accepted is still stored and tracked, as for a dropped connection
            previous.failed("Closing the connection: a new connection with the same connection id '" + connectionId
                    + "' was opened and replaces it");
            previous.close(CloseStatus.POLICY_VIOLATION.withReason("replaced by a new connection with the same id"));
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        StreamSession session = connections.remove(socket.getId());
        if (session != null) {
            liveConnections.release(session.connectionId(), session.account(), socket.getId());
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
        StreamSession session = connections.get(socket.getId());
        if (session == null) {
            return;
        }
        // every line logged while handling the frame says whose stream it was
        LiveStream stream = session.stream();
        try (MDC.MDCCloseable account = MDC.putCloseable("accountId", session.account().toString());
                MDC.MDCCloseable connection = MDC.putCloseable("connectionId", session.connectionId());
                MDC.MDCCloseable conversation = MDC.putCloseable("conversationId",
                        stream == null ? null : stream.conversationId())) {
            handleFrame(session, message);
        }
    }

    private void handleFrame(StreamSession session, TextMessage message) {
        session.touch();
        long receivedAtNanos = System.nanoTime();
        StreamSession.Frame assembled = session.assemble(message.getPayload(), message.isLast());
        if (assembled == null) {
            return;
        }
        if (assembled.tooLarge()) {
            session.failed("Frame is larger than " + properties.maxFrameSize().toKilobytes()
                    + " KB (trackers.streaming.max-frame-size); it was ignored. Send fewer messages or trackers per frame");
            return;
        }
        String text = assembled.text();
        if (PING.equals(text)) {
            session.sendText(PONG);
            return;
        }
        String frameType = null;
        try {
            JsonNode frame = readFrame(text);
            if (frame == null || !frame.isObject()) {
                throw new FrameException("Frame must be a JSON object with a \"type\"; " + EXPECTED_TYPES);
            }
            JsonNode type = frame.get("type");
            if (type == null || !type.isString()) {
                throw noType(frame);
            }
            if (!connections.accepting()) {
                throw new FrameException(SHUTTING_DOWN);
            }
            frameType = type.asString();
            switch (frameType) {
                case "start_request" -> start(session, read(frame, StartRequest.class, "start_request",
                        ClientFrames.misplacedSettings(frame)));
                case "message_request" -> message(session, read(frame, MessageRequest.class, "message_request",
                        List.of()), receivedAtNanos);
                case "stop_request" -> stop(session);
                default -> throw unknownType(frameType);
            }
        } catch (InvalidInputException e) {
            session.send(ServerFrames.invalid(e.getMessage(), e.violations()));
        } catch (StreamService.ConversationGone e) {
            session.failed(e.getMessage());
        } catch (FrameException e) {
            session.send(e.violations().isEmpty() ? ServerFrames.error(e.getMessage())
                    : ServerFrames.invalid(e.getMessage(), e.violations()));
        } catch (JacksonException e) {
            session.failed("Frame is not valid JSON: " + JsonErrors.reason(e));
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.isCause(e)) {
                log.warn("Streaming {} on connection {} failed: the database cannot be reached ({})", frameType,
                        session.connectionId(), DatabaseUnavailable.reason(e));
                session.failed(databaseUnavailable(frameType));
                return;
            }
            log.error("Streaming frame failed on connection {}", session.connectionId(), e);
            session.failed("The frame could not be processed because of a server error");
        }
    }

    /**
     * A frame without a {@code type} string. One whose type is in a member that misspells it ({@code "Type"}, as a
     * client that capitalises its members sends it) was only told it had none, and its author looked at a "type"
     * that seemed to be there: the member is named with the one meant, as misspelt members of the frames' bodies are.
     */
    private static FrameException noType(JsonNode frame) {
        List<FieldViolation> misspelt = new ArrayList<>();
        if (frame.get("type") == null) {
            TYPE_MEMBER.check(frame, "", misspelt);
        }
        if (misspelt.isEmpty()) {
            return new FrameException("Frame has no \"type\" string; " + EXPECTED_TYPES);
        }
        return new FrameException("Frame has no \"type\" string (" + misspelt.stream().map(FieldViolation::describe)
                .collect(Collectors.joining("; ")) + "); " + EXPECTED_TYPES, misspelt);
    }

    /** A frame type no frame has; named with the one meant when it misspells one ({@code "startRequest"}). */
    private static FrameException unknownType(String type) {
        String meant = FRAME_TYPES.meant(type);
        if (meant == null) {
            return new FrameException("Unknown frame type '" + type + "'; " + EXPECTED_TYPES);
        }
        FieldViolation misspelt = FieldViolation.of("type", Misspellings.reason("a frame type", meant));
        return new FrameException("Unknown frame type '" + type + "'" + Misspellings.DID_YOU_MEAN + meant + "? "
                + EXPECTED_TYPES, List.of(misspelt));
    }

    /**
     * A frame's JSON, or, for a frame that is none, the same read with single quotes allowed: Symbl's Python SDK ends a
     * stream with {@code str()} of a dict, {@code {'type': 'stop_request'}}, and its users' streams must end when they
     * call {@code stop()}, as they did against Symbl. Anything else that is not JSON stays an error, with the strict
     * reader's reason.
     */
    private JsonNode readFrame(String text) {
        try {
            return json.readTree(text);
        } catch (JacksonException notJson) {
            try {
                return pythonDictRepr.readTree(text);
            } catch (JacksonException notADictEither) {
                throw notJson;
            }
        }
    }

    /**
     * What a client whose frame met a database outage must do: send it again. Its messages are stored in one
     * transaction, which did not commit, so nothing of them is kept; a generic "server error" left the client
     * guessing whether they had been, and the messages were lost.
     */
    private static String databaseUnavailable(String frameType) {
        String what = switch (frameType == null ? "" : frameType) {
            case "message_request" -> "the messages of this message_request were not stored or tracked; send them "
                    + "again";
            case "start_request" -> "the stream was not started; send start_request again";
            default -> "the frame was not carried out; send it again";
        };
        return "The service cannot reach its database at the moment: " + what + " in a few seconds";
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        StreamSession session = connections.get(socket.getId());
        if (session != null && message.isLast()) {
            session.touch();
            session.failed("Audio (binary) frames are not supported: this service tracks text. "
                    + "Send transcripts as {\"type\":\"message_request\",\"messages\":[…]} text frames");
        }
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable exception) {
        log.debug("Transport error on streaming session {}", socket.getId(), exception);
    }

    private void start(StreamSession session, StartRequest request) {
        LiveStream current = session.stream();
        if (current != null) {
            throw new FrameException("A stream is already started on this connection (conversation "
                    + current.conversationId() + "); send stop_request before starting another. A second "
                    + "speaker joins by sending messages with their own \"from\"");
        }
        awaitPreviousStream(session);
        if (!connections.accepting()) {
            throw new FrameException(SHUTTING_DOWN); // the shutdown began while the start waited
        }
        LiveStream stream = streams.start(session.account(), request, session);
        // attached before the client hears of it: from then on the stream is this connection's in every respect
        // (its conversation among those the instance keeps marked live, a stop or a second start sees it)
        session.attach(stream);
        session.started(stream.conversationId(), stream.warnings());
    }

    private void message(StreamSession session, MessageRequest request, long receivedAtNanos) {
        LiveStream stream = session.stream();
        if (stream == null) {
            String stopped = session.stoppedConversation();
            // a transcript's last words often arrive after the client stopped: say that, not "before start_request"
            throw new FrameException(stopped == null
                    ? "message_request received before start_request: start a stream first"
                    : "message_request received after stop_request: the stream of conversation " + stopped
                    + " is stopped and takes no more messages (these were not stored); send start_request to start "
                    + "a new one");
        }
        streams.message(stream, request.messages(), receivedAtNanos);
        // a client waiting for results is not idle: the idle clock restarts when they are delivered
        stream.pending().whenComplete((ignored, error) -> session.touch());
    }

    private void stop(StreamSession session) {
        LiveStream stream = session.detach();
        if (stream == null) {
            throw new FrameException("stop_request received but no stream is started on this connection");
        }
        session.completing(streams.stop(stream));
    }

    /**
     * A start_request right after a stop_request waits until the stopped stream has sent its last hits and its
     * conversation_completed. Otherwise those frames arrived after the new stream's started_listening, and a
     * tracker_response (which names no conversation) could not be told apart from the new stream's, whose
     * sequenceNumbers did not start at 0 either.
     */
    private static void awaitPreviousStream(StreamSession session) {
        try {
            session.completed().get(PREVIOUS_STREAM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FrameException("The stream stopped on this connection is still delivering its results; send "
                    + "start_request again after its conversation_completed");
        } catch (ExecutionException e) {
            // its conversation_completed was sent all the same: nothing of it is left to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameException(SHUTTING_DOWN);
        }
    }

    /** The frame as {@code type}, refused with every member it misplaced ({@code misplaced}) or misspelt. */
    private <T> T read(JsonNode frame, Class<T> type, String what, List<FieldViolation> misplaced) {
        List<FieldViolation> violations = new ArrayList<>(misplaced);
        List<String> reasons = new ArrayList<>(misplaced.stream().map(FieldViolation::describe).toList());
        T value = null;
        try {
            value = json.treeToValue(frame, type);
        } catch (JacksonException e) {
            // the field refused, or every misspelt member of the frame
            List<FieldViolation> refused = JsonErrors.violations(e);
            violations.addAll(refused);
            if (misplaced.isEmpty() || refused.isEmpty()) {
                reasons.add(JsonErrors.reason(e));
            } else {
                refused.forEach(violation -> reasons.add(violation.describe()));
            }
        }
        if (reasons.isEmpty()) {
            return value;
        }
        throw new FrameException("Invalid " + what + (violations.size() == 1 && reasons.size() == 1
                ? " at " + violations.get(0).field() + ": " + violations.get(0).message()
                : ": " + String.join("; ", reasons)), violations);
    }

    /** The connection id a client chose: the last segment of the path it connected to. */
    static String connectionId(URI uri) {
        String path = uri == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A frame the protocol cannot act on; its message is sent to the client as is, with the fields it names. */
    private static final class FrameException extends RuntimeException {

        private final List<FieldViolation> violations;

        FrameException(String message) {
            this(message, List.of());
        }

        FrameException(String message, List<FieldViolation> violations) {
            super(message);
            this.violations = violations;
        }

        List<FieldViolation> violations() {
            return violations;
        }
    }
}
