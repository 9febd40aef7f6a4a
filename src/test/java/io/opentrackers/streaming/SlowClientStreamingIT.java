package io.opentrackers.streaming;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Clients that stop reading their socket must not delay other streams' results, and are cut off once their unsent
 * output passes a bound (docs/streaming.md, "Clients that stop reading"). Results used to be written to the socket
 * by one of the four shared callback threads, which a stuck client held until the write gave up after 20 s. Same
 * configuration as {@link StreamingIT}, so the two share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "trackers.streaming.idle-timeout=2s")
@Import(LiteralMatchingConfiguration.class)
class SlowClientStreamingIT {

    private static final String BUDGET = "{\"name\":\"Budget\",\"vocabulary\":[\"out of budget\",\"no budget\","
            + "\"budget is gone\",\"cannot afford it\",\"money ran out\"]}";
    /** More than the callback threads (4), each of which a stuck client could hold before. */
    private static final int STUCK_CLIENTS = 6;
    /**
     * Far below the 10 s a stuck connection may be held (send-timeout); a healthy result takes milliseconds, and on
     * a loaded 2-core build machine well under a second.
     */
    private static final Duration HEALTHY_RESULT_BOUND = Duration.ofSeconds(2);
    /**
     * Ten trackers with the same phrases, and an interim message of 20 KB holding all five: its tracker_response
     * repeats the whole text in each of its 50 matches, about 1 MB, so a stuck client fills the socket's buffers
     * with a few small frames (and costs the server little to read).
     */
    private static final String TEN_TRACKERS = String.join(",", IntStream.range(0, 10)
            .mapToObj(i -> BUDGET.replace("\"Budget\"", "\"Budget " + i + "\"")).toList());
    private static final String LARGE_RESULT = "{\"type\":\"message_request\",\"messages\":[{\"payload\":"
            + "{\"content\":\"we are out of budget, no budget, the budget is gone, we cannot afford it, the money ran "
            + "out, " + "and more words ".repeat(1_300) + "\"},\"isFinal\":false}]}";
    /**
     * Large results a stuck client asks for: about 12 MB, beyond the kernel's socket buffers (3 MB on loopback here)
     * and the 1 MB queued, so it is cut off for its unsent output; with larger socket buffers, after send-timeout.
     */
    private static final int MOST_LARGE_FRAMES = 12;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void clientsThatStopReadingDoNotDelayOtherStreamsResultsAndAreCutOff() throws Exception {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        CountDownLatch cutOff = new CountDownLatch(STUCK_CLIENTS);
        double cutOffBefore = meters.counter("trackers.streaming.closed.not.reading").count();
        List<StuckClient> stuck = new ArrayList<>();
        try (TestSocket healthy = TestSocket.open(URI.create("ws://localhost:" + port + "/v1/streaming/"
                + UUID.randomUUID() + "?access_token=" + api.token()), Map.of())) {
            for (int i = 0; i < STUCK_CLIENTS; i++) {
                stuck.add(StuckClient.start(port, api.token(), cutOff));
            }
            healthy.send("{\"type\":\"start_request\",\"trackers\":[" + BUDGET + "]}");
            assertThat(healthy.next().path("message").path("type").asString()).isEqualTo("started_listening");
            assertThat(healthy.next().path("message").path("type").asString()).isEqualTo("conversation_created");
            var recognitionStarted = healthy.next().path("message");
            assertThat(recognitionStarted.path("type").asString()).isEqualTo("recognition_started");
            String conversationId = recognitionStarted.path("data").path("conversationId").asString();

            // results round after round until every stuck client has been cut off: each one within the bound
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int rounds = 0;
            while (rounds < 5 || cutOff.getCount() > 0 && System.nanoTime() < deadline) {
                healthy.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"round "
                        + rounds + ": we have no budget\"}}]}");
                assertThat(frameType(healthy, "message_response", rounds)).isEqualTo("message_response");
                assertThat(frameType(healthy, "tracker_response", rounds)).isEqualTo("tracker_response");
                rounds++;
            }
            assertThat(cutOff.getCount()).as("stuck clients still connected after 30 s").isZero();
            assertThat(meters.counter("trackers.streaming.closed.not.reading").count() - cutOffBefore)
                    .as("connections closed because their client stopped reading").isEqualTo(STUCK_CLIENTS);

            // every healthy result was stored as well
            healthy.send("{\"type\":\"stop_request\"}");
            assertThat(healthy.next().path("message").path("type").asString()).isEqualTo("conversation_completed");
            JsonNode stored = api.get("/v1/conversations/" + conversationId + "/trackers").body();
            int refs = 0;
            for (JsonNode tracker : stored) {
                for (JsonNode match : tracker.path("matches")) {
                    refs += match.path("messageRefs").size();
                }
            }
            assertThat(refs).isEqualTo(rounds);
        } finally {
            stuck.forEach(StuckClient::close);
        }
    }

    /** The type of the next frame, which must arrive within {@link #HEALTHY_RESULT_BOUND}. */
    private static String frameType(TestSocket socket, String expected, int round) {
        String frame = socket.nextText(HEALTHY_RESULT_BOUND);
        assertThat(frame).as("the healthy stream's %s of round %d within %s", expected, round, HEALTHY_RESULT_BOUND)
                .isNotNull();
        return TestApi.json(frame).path("type").asString();
    }

    /**
     * A raw TCP client that does the WebSocket handshake by hand, starts a stream with interim results and then sends
     * large interim messages without ever reading what comes back, until the server closes the connection (its
     * writes fail) or it has sent {@link #MOST_LARGE_FRAMES}; after that it only sends a small frame now and then, to
     * find out when it was closed.
     */
    private static final class StuckClient implements Runnable {

        private final Socket socket = new Socket();
        private final CountDownLatch cutOff;
        private final Thread writer;

        private StuckClient(CountDownLatch cutOff) {
            this.cutOff = cutOff;
            this.writer = new Thread(this, "stuck-client");
            writer.setDaemon(true);
        }

        static StuckClient start(int port, String token, CountDownLatch cutOff) throws IOException {
            StuckClient client = new StuckClient(cutOff);
            client.socket.setReceiveBufferSize(4096); // before connecting, so that the window it offers is small
            client.socket.connect(new InetSocketAddress("localhost", port));
            OutputStream out = client.socket.getOutputStream();
            out.write(("GET /v1/streaming/" + UUID.randomUUID() + "?access_token=" + token + " HTTP/1.1\r\n"
                    + "Host: localhost:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(US_ASCII));
            out.flush();
            assertThat(handshakeResponse(client.socket.getInputStream())).startsWith("HTTP/1.1 101");
            writeText(out, "{\"type\":\"start_request\",\"trackers\":[" + TEN_TRACKERS + "],"
                    + "\"config\":{\"trackers\":{\"interimResults\":true}}}");
            client.writer.start();
            return client;
        }

        @Override
        public void run() {
            try {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < MOST_LARGE_FRAMES; i++) {
                    writeText(out, LARGE_RESULT);
                }
                while (true) {
                    writeText(out, "__PING__");
                    Thread.sleep(50); // how often it looks whether it was closed, not an assertion
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    cutOff.countDown(); // the server closed the connection
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closed already
            }
        }

        /** Reads the handshake's response head byte by byte, so that nothing after it is consumed. */
        private static String handshakeResponse(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                head.write(next);
            }
            return head.toString(US_ASCII);
        }

        /** One masked text frame, as a client must send it (RFC 6455 §5.2). */
        private static void writeText(OutputStream out, String text) throws IOException {
            byte[] payload = text.getBytes(UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
            frame.write(0x81);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else if (payload.length < 65_536) {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xff);
            } else {
                frame.write(0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >>> shift) & 0xff);
                }
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
        }
    }
}
