package io.opentrackers.streaming;

import io.opentrackers.account.AccessToken;
import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.socket.CloseStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * One live connection: assembles its frames, writes the frames of api.md for what its stream delivers, and holds
 * the stream started on it. Frames of one connection arrive one at a time, but results come back on batcher
 * callback threads, so state changes and sends are guarded by this object's monitor; that also keeps
 * {@code sequenceNumber}s in the order the frames leave. Sending only queues a frame ({@link OutgoingFrames}): no
 * thread waits here for the client to read.
 */
final class StreamSession implements StreamOutput {

    private final OutgoingFrames outgoing;
    /** The token that opened the connection: revoking it, or changing the account's secret, closes it. */
    private final AccessToken token;
    private final String connectionId;
    private final JsonMapper json;
    private volatile long lastActivityNanos = System.nanoTime();
    private LiveStream stream;
    /** The pending work of the last stopped stream: its conversation_completed has yet to be sent. */
    private LiveStream stopping;
    /** Completes once the last stopped stream's conversation_completed has been sent. */
    private CompletableFuture<Void> completed = CompletableFuture.completedFuture(null);
    private long nextSequence;
    /** The parts of a text frame received so far (Tomcat hands large frames over in parts). */
    private final StringBuilder frameParts = new StringBuilder();
    private final int maxFrameChars;
    private boolean frameTooLarge;

    /** @param maxFrameSize largest frame received */
    StreamSession(OutgoingFrames outgoing, AccessToken token, String connectionId, JsonMapper json, int maxFrameSize) {
        this.outgoing = outgoing;
        this.maxFrameChars = maxFrameSize;
        this.token = token;
        this.connectionId = connectionId;
        this.json = json;
    }

    AccountId account() {
        return token.account();
    }

    String connectionId() {
        return connectionId;
    }

    AccessToken token() {
        return token;
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

    /** The stream started on this connection and not yet stopped, or null. */
    synchronized LiveStream stream() {
        return stream;
    }

    /**
     * The conversations this connection's streams still write to: the live stream's, and the stopped one's while its
     * results are being stored.
     */
    synchronized List<String> conversationsWrittenTo() {
        List<String> ids = new ArrayList<>(2);
        if (stream != null) {
            ids.add(stream.conversationId());
        }
        if (stopping != null && stopping.busy()) {
            ids.add(stopping.conversationId());
        }
        return ids;
    }

    synchronized void attach(LiveStream started) {
        stream = started;
        nextSequence = 0;
    }

    /**
     * Detaches the stream (stop_request); returns it, or null when none was started. A stop without a stream leaves
     * the one still stopping in place: forgetting it made a connection with results pending look idle.
     */
    synchronized LiveStream detach() {
        LiveStream stopped = stream;
        if (stopped != null) {
            stopping = stopped;
            stream = null;
        }
        return stopped;
    }

    /** The conversation of the last stream stopped on this connection, or null when none was stopped. */
    synchronized String stoppedConversation() {
        return stopping == null ? null : stopping.conversationId();
    }

    /** Records the completion of the stream just stopped (sent with its conversation_completed). */
    synchronized void completing(CompletableFuture<Void> completion) {
        completed = completion;
    }

    /** Completes once the last stopped stream has sent its conversation_completed. */
    synchronized CompletableFuture<Void> completed() {
        return completed;
    }

    /**
     * The conversation {@code conversationId} was deleted: if it is this connection's live stream's, the stream is
     * marked and the client told at once (it learns it at its next message otherwise, as on another instance).
     */
    synchronized void conversationDeleted(String conversationId) {
        if (stream != null && stream.conversationId().equals(conversationId) && stream.markDeleted()) {
            failed(stream.deletedNotice());
        }
    }

    /** Completes once the results of this connection's stream (and of the one just stopped) are delivered. */
    synchronized CompletableFuture<Void> pending() {
        CompletableFuture<Void> none = CompletableFuture.completedFuture(null);
        return CompletableFuture.allOf(stream == null ? none : stream.pending(),
                stopping == null ? none : stopping.pending());
    }

    /** True while results of this connection's stream (or of the one just stopped) are still being computed. */
    synchronized boolean busy() {
        return stream != null && stream.busy() || stopping != null && stopping.busy();
    }

    @Override
    public void started(String conversationId, List<String> warnings) {
        send(ServerFrames.startedListening(warnings));
        send(ServerFrames.conversationCreated(conversationId));
        send(ServerFrames.recognitionStarted(conversationId));
    }

    @Override
    public void stored(List<StoredMessage> messages) {
        send(ServerFrames.messageResponse(messages));
    }

    /** Sends a tracker_response, numbering it in sending order. */
    @Override
    public synchronized void hits(boolean isFinal, List<TrackerResult> trackers) {
        send(ServerFrames.trackerResponse(isFinal, nextSequence++, trackers));
    }

    @Override
    public void failed(String details) {
        send(ServerFrames.error(details));
    }

    @Override
    public void completed(String conversationId) {
        send(ServerFrames.conversationCompleted(conversationId));
    }

    synchronized void send(Object frame) {
        if (outgoing.closing()) {
            return; // a client cut off (or leaving) costs no more serializing of results it will not get
        }
        sendText(json.writeValueAsString(frame));
    }

    synchronized void sendText(String text) {
        outgoing.send(text);
    }

    /** Closes the connection after the frames sent before (an error notice is read before the close). */
    void close(CloseStatus status) {
        outgoing.close(status);
    }

    /** Why this connection's client is taken for one that stopped reading ({@link OutgoingFrames}), or null. */
    String stoppedReading() {
        return outgoing.stoppedReading();
    }

    /** Closes the connection of a client that stopped reading with 1008, dropping what it did not read. */
    void cutOff(String reason) {
        outgoing.cutOff(reason);
    }
}
