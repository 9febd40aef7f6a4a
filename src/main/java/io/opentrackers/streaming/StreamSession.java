package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import tools.jackson.databind.json.JsonMapper;

/**
 * One live connection and the stream started on it. Frames of one connection arrive one at a time, but results
 * come back on batcher callback threads, so state changes and sends are guarded by this object's monitor; that
 * also keeps {@code sequenceNumber}s in the order the frames leave.
 */
final class StreamSession {

    /** The stream between start_request and stop_request. */
    record Stream(String conversationId, TrackerSet trackers, boolean interimResults, Speaker speaker) {
    }

    private static final int SEND_TIME_LIMIT_MS = 10_000;

    private final WebSocketSession socket;
    private final AccountId account;
    private final String connectionId;
    private final JsonMapper json;
    private volatile long lastActivityNanos = System.nanoTime();
    private Stream stream;
    private long nextSequence;
    /** The parts of a text frame received so far (Tomcat hands large frames over in parts). */
    private final StringBuilder frameParts = new StringBuilder();
    private final int maxFrameChars;
    private boolean frameTooLarge;
    /** Completes when every detection started for the current stream has been stored and sent. */
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    /** @param maxFrameSize largest frame received, and the most unsent output buffered for a slow client */
    StreamSession(WebSocketSession socket, AccountId account, String connectionId, JsonMapper json, int maxFrameSize) {
        this.socket = new ConcurrentWebSocketSessionDecorator(socket, SEND_TIME_LIMIT_MS, maxFrameSize);
        this.maxFrameChars = maxFrameSize;
        this.account = account;
        this.connectionId = connectionId;
        this.json = json;
    }

    AccountId account() {
        return account;
    }

    String connectionId() {
        return connectionId;
    }

    String id() {
        return socket.getId();
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    /**
     * Adds one part of a text frame. Returns the whole frame with its last part; {@link Frame#tooLarge()} when it
     * grew past the limit (its text is then dropped, not kept growing); null while more parts are to come.
     */
    synchronized Frame assemble(String part, boolean last) {
        if (last && frameParts.isEmpty() && !frameTooLarge) {
            return part.length() > maxFrameChars ? Frame.TOO_LARGE : new Frame(part); // the usual, single-part case
        }
        if (!frameTooLarge && frameParts.length() + part.length() > maxFrameChars) {
            frameTooLarge = true;
            frameParts.setLength(0);
            frameParts.trimToSize();
        }
        if (!frameTooLarge) {
            frameParts.append(part);
        }
        if (!last) {
            return null;
        }
        Frame frame = frameTooLarge ? Frame.TOO_LARGE : new Frame(frameParts.toString());
        frameParts.setLength(0);
        frameTooLarge = false;
        return frame;
    }

    /** A complete text frame, or the mark of one that exceeded the size limit. */
    record Frame(String text) {
        static final Frame TOO_LARGE = new Frame(null);

        boolean tooLarge() {
            return text == null;
        }
    }

    synchronized Stream stream() {
        return stream;
    }

    synchronized void start(Stream started) {
        stream = started;
        nextSequence = 0;
        inFlight = CompletableFuture.completedFuture(null);
    }

    /** Ends the stream; the returned future completes once all its pending results are stored and sent. */
    synchronized CompletableFuture<Void> stop() {
        stream = null;
        return inFlight;
    }

    synchronized void track(CompletableFuture<?> work) {
        CompletableFuture<Void> settled = work.handle((result, error) -> null);
        // start afresh when nothing is pending: chaining onto finished work kept every future of a long stream
        inFlight = inFlight.isDone() ? settled : CompletableFuture.allOf(inFlight, settled);
        // A client waiting for results is not idle: the idle clock restarts when the work is done.
        inFlight.whenComplete((ignored, error) -> touch());
    }

    /** True while results of this connection are still being computed. */
    synchronized boolean busy() {
        return !inFlight.isDone();
    }

    /** Sends a tracker_response, numbering it in sending order. */
    synchronized void sendTrackerResponse(boolean isFinal, List<TrackerResult> trackers) {
        send(ServerFrames.trackerResponse(isFinal, nextSequence++, trackers));
    }

    synchronized void send(Object frame) {
        sendText(json.writeValueAsString(frame));
    }

    synchronized void sendText(String text) {
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.sendMessage(new TextMessage(text));
        } catch (IOException | IllegalStateException e) {
            // The peer went away; afterConnectionClosed cleans up.
        }
    }

    void close(CloseStatus status) {
        try {
            socket.close(status);
        } catch (IOException e) {
            // already closed
        }
    }
}
