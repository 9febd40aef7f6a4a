package io.opentrackers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** A WebSocket client for tests: every text frame received is queued and read back as JSON. */
public final class TestSocket implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private TestSocket(URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static TestSocket open(URI uri, Map<String, String> headers) {
        return new TestSocket(uri, headers);
    }

    /** The HTTP status the server answered the upgrade with, when it refused it. */
    public static int refusedStatus(URI uri, Map<String, String> headers) {
        try {
            new TestSocket(uri, headers).close();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        throw new AssertionError("the upgrade to " + uri + " was accepted");
    }

    public TestSocket send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next frame, waiting up to 30 s: far beyond what any frame takes, even on a loaded build machine. */
    public JsonNode next() {
        String frame = nextText(Duration.ofSeconds(30));
        if (frame == null) {
            throw new AssertionError("no frame received within 30 s");
        }
        return TestApi.json(frame);
    }

    public String nextText(Duration wait) {
        try {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asserts nothing more arrives within {@code wait}. */
    public JsonNode none(Duration wait) {
        String frame = nextText(wait);
        return frame == null ? null : TestApi.json(frame);
    }

    /** The close code the server sent, waiting up to {@code wait}; null if still open. */
    public Integer closeCode(Duration wait) {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(error -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
