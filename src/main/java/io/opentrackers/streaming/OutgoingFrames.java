package io.opentrackers.streaming;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.tomcat.websocket.WsSession;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * The frames on their way to one client. No thread waits for the client to read them: a frame is handed to the
 * container's asynchronous remote ({@link jakarta.websocket.RemoteEndpoint.Async}), which writes what the socket
 * takes and finishes the rest when the socket is writable again; the frames sent meanwhile queue here, in order, and
 * the next one is written when the one before is done. Before, the thread that produced a frame wrote it and waited
 * until the socket took it: a client that stopped reading held that thread (one of the few shared callback threads,
 * since most frames are results) until the write gave up after 20 s, and a handful of such clients held all of them,
 * so every other stream's results waited.
 *
 * <p>A client that stops reading is noticed either way it can show: the output queued for it grows past
 * {@code send-buffer-size}, or the frame being written has not completed within {@code send-timeout}. Then
 * {@link #stoppedReading} says why (once), what is queued is dropped at once (memory per stuck client stays bounded),
 * and {@link StreamConnections} closes the connection with 1008; a write that blocks on a full socket is never made on
 * a thread other streams need.
 */
final class OutgoingFrames {

    /** What the frames are written to: the container's asynchronous remote, and closing the connection. */
    interface Socket {

        /** Starts writing a text frame; {@code done} is called, on another thread, once it is written or failed. */
        void write(String text, SendHandler done);

        boolean isOpen();

        void close(CloseStatus status);

        /**
         * Closes the connection without the closing handshake: the close frame goes out if the socket still takes it,
         * and the TCP connection is closed at once, not after the client answers (a client that does not read never
         * does; Tomcat waited 30 s for it, keeping the connection and its socket buffers).
         */
        void abort(CloseStatus status);

        /** The Spring session's connection, written through its standard (JSR 356) session's asynchronous remote. */
        static Socket of(WebSocketSession session) {
            Session standard = session instanceof NativeWebSocketSession nativeSession
                    ? nativeSession.getNativeSession(Session.class) : null;
            if (standard == null) {
                throw new IllegalStateException("Streaming needs a standard (JSR 356) WebSocket session, got "
                        + session.getClass().getName());
            }
            return new Socket() {
                @Override
                public void write(String text, SendHandler done) {
                    standard.getAsyncRemote().sendText(text, done);
                }

                @Override
                public boolean isOpen() {
                    return session.isOpen();
                }

                @Override
                public void close(CloseStatus status) {
                    try {
                        session.close(status);
                    } catch (IOException e) {
                        // closed already
                    }
                }

                @Override
                public void abort(CloseStatus status) {
                    if (standard instanceof WsSession tomcat) {
                        CloseReason reason = new CloseReason(CloseReason.CloseCodes.getCloseCode(status.getCode()),
                                status.getReason());
                        tomcat.doClose(reason, reason, true);
                    } else {
                        close(status);
                    }
                }
            };
        }
    }

    private final Socket socket;
    private final long sendBufferChars;
    private final long sendTimeoutNanos;
    /** Frames waiting for the one being written, and their characters. */
    private final Deque<String> queued = new ArrayDeque<>();
    private long queuedChars;
    private boolean writing;
    /** When the frame being written was handed to the container (System.nanoTime). */
    private long writingSinceNanos;
    /** Set once no frame is to be sent any more: the connection is being closed, or its client is cut off. */
    private boolean closing;
    /** A close asked for while a frame was being written: it follows the frames queued before it. */
    private CloseStatus closeAfterWriting;
    /** Why the client is taken for one that stopped reading, once the queue overflowed; reported once. */
    private String overflowed;
    private boolean cutOff;

    OutgoingFrames(Socket socket, long sendBufferChars, long sendTimeoutNanos) {
        this.socket = socket;
        this.sendBufferChars = sendBufferChars;
        this.sendTimeoutNanos = sendTimeoutNanos;
    }

    /** Sends a text frame after the frames sent before it; returns at once. Dropped once the connection is closing. */
    void send(String text) {
        synchronized (this) {
            if (closing || !socket.isOpen()) {
                return;
            }
            if (writing) {
                queued.addLast(text);
                queuedChars += text.length();
                if (queuedChars > sendBufferChars) {
                    overflowed = "Results not read: over " + sendBufferChars / 1024
                            + " KB unsent (trackers.streaming.send-buffer-size)";
                    drop();
                }
                return;
            }
            writing = true;
            writingSinceNanos = System.nanoTime();
        }
        write(text);
    }

    /** True once frames are dropped: the connection is being closed, or its client did not read. */
    synchronized boolean closing() {
        return closing;
    }

    /** Closes the connection once the frames sent before are written (an error notice, then the close). */
    void close(CloseStatus status) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            if (writing) {
                closeAfterWriting = status;
                return;
            }
        }
        socket.close(status);
    }

    /**
     * Why this connection's client is taken for one that stopped reading, or null: its queued output overflowed, or
     * the frame being written has not completed within {@code send-timeout}. Non-null once only.
     */
    synchronized String stoppedReading() {
        if (cutOff) {
            return null;
        }
        String reason = overflowed;
        if (reason == null && writing && System.nanoTime() - writingSinceNanos >= sendTimeoutNanos) {
            reason = "Results not read: a frame unsent for " + sendTimeoutNanos / 1_000_000_000L
                    + "s (trackers.streaming.send-timeout)";
        }
        cutOff = reason != null;
        return reason;
    }

    /**
     * Closes the connection of a client that stopped reading, without waiting for its frames or its answer: the close
     * frame can only follow the one stuck in the socket, so the container gives up on it after a moment (50 ms), and
     * the TCP connection is closed. Called by the sweeper, never on a thread that delivers results.
     */
    void cutOff(String reason) {
        synchronized (this) {
            drop();
        }
        socket.abort(CloseStatus.POLICY_VIOLATION.withReason(reason));
    }

    private void write(String text) {
        try {
            socket.write(text, this::written);
        } catch (RuntimeException e) {
            written(new SendResult(null, e)); // closed meanwhile
        }
    }

    /** The frame being written is done: writes the next one, or the close that waited for it. */
    private void written(SendResult result) {
        String next = null;
        CloseStatus close = null;
        synchronized (this) {
            if (!result.isOK()) {
                // the connection failed (or was cut off): nothing queued can reach the client any more
                writing = false;
                boolean closedAlready = closing && closeAfterWriting == null;
                closeAfterWriting = null;
                drop();
                close = closedAlready ? null : CloseStatus.GOING_AWAY;
            } else {
                next = queued.pollFirst();
                if (next != null) {
                    queuedChars -= next.length();
                    writingSinceNanos = System.nanoTime();
                } else {
                    writing = false;
                    close = closeAfterWriting;
                    closeAfterWriting = null;
                }
            }
        }
        if (next != null) {
            write(next);
        } else if (close != null && socket.isOpen()) {
            socket.close(close);
        }
    }

    private void drop() {
        closing = true;
        queued.clear();
        queuedChars = 0;
    }
}
