package io.opentrackers.streaming;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one stream's long message costs another stream (docs/performance.md, "One stream's long message and the
 * others"), against a running service: stream A sends one message_request of 990 short sentences ({@code short}) or
 * of 950 sentences of about 190 words without punctuation, cut at the 1,000-character sentence limit ({@code long},
 * words drawn at random with a fixed seed from {@code WORDS_FILE}), then stream B starts and sends "how much does it
 * cost?"; prints the time from B's send to its tracker_response, and from A's send to its conversation_completed.
 * The account ({@code bw}) gets one tracker, and both streams use {@code enableAllTrackers}.
 *
 * <p>Arguments: {@code BASE_URL OPERATOR_KEY short|long REPETITIONS [WORDS_FILE]}.
 */
final class LongMessageBenchmark {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String QUESTION = "how much does it cost?";
    private static final String CREDENTIALS = "{\"appId\":\"bw\",\"appSecret\":\"bw-secret-123\"}";

    private final String base;

    private LongMessageBenchmark(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        LongMessageBenchmark benchmark = new LongMessageBenchmark(args[0]);
        String kind = args[2];
        int repetitions = Integer.parseInt(args[3]);
        String content = kind.equals("short") ? shortSentences() : longSentences(Path.of(args[4]));
        String token = benchmark.account(args[1]);
        benchmark.warmUp(token);
        for (int repetition = 1; repetition <= repetitions; repetition++) {
            benchmark.measure(kind, repetition, token, content);
            Thread.sleep(2000);
        }
        System.exit(0);
    }

    /** 990 sentences of 10 words. */
    private static String shortSentences() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 990; i++) {
            text.append("We looked at the numbers for budget line ").append(i).append(" again. ");
        }
        return text.toString().strip();
    }

    /**
     * About 950 KB of words without punctuation: the splitter cuts it into 950 sentences of at most 1,000
     * characters.
     */
    private static String longSentences(Path wordsFile) throws Exception {
        List<String> vocabulary = new ArrayList<>(new LinkedHashSet<>(
                List.of(Files.readString(wordsFile).toLowerCase().split("[^a-z']+"))));
        vocabulary.removeIf(word -> word.length() < 2);
        Random random = new Random(42);
        StringBuilder text = new StringBuilder();
        while (text.length() < 950 * 1000 - 2000) {
            text.append(vocabulary.get(random.nextInt(vocabulary.size()))).append(' ');
        }
        return text.toString().strip();
    }

    /** The account bw (created if new) with one tracker; its access token. */
    private String account(String operatorKey) throws Exception {
        post("/admin/accounts", CREDENTIALS, "X-Operator-Key", operatorKey);
        String token = post("/oauth2/token:generate", CREDENTIALS, null, null)
                .replaceAll(".*\"accessToken\":\"([^\"]*)\".*", "$1");
        String trackers = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/manage/trackers"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (!trackers.contains("Pricing")) {
            post("/v1/manage/tracker", "{\"name\":\"Pricing\",\"vocabulary\":[\"how much does it cost\","
                    + "\"what is the price\",\"how much is it\",\"what does it cost\",\"pricing\"]}",
                    "Authorization", "Bearer " + token);
        }
        return token;
    }

    private void warmUp(String token) throws Exception {
        Stream stream = open(token);
        stream.send(message(QUESTION));
        stream.await("tracker_response", 60);
        stream.stop();
    }

    private void measure(String kind, int repetition, String token, String content) throws Exception {
        Stream talkative = open(token);
        long longSent = System.nanoTime();
        talkative.send(message(content));
        String[] stored = talkative.await("message_response", 120);
        int sentences = stored[1].split("\"id\"").length - 1;
        Stream other = open(token);
        long questionSent = System.nanoTime();
        other.send(message(QUESTION));
        String[] hit = other.await("tracker_response", 600);
        talkative.send("{\"type\":\"stop_request\"}");
        String[] completed = talkative.await("conversation_completed", 1200);
        System.out.printf("%s %d: long message of %d sentences; the other stream's question: %d ms to its "
                        + "tracker_response (sent %d ms after the long message); long message done after %d ms%n",
                kind, repetition, sentences, (Long.parseLong(hit[0]) - questionSent) / 1_000_000,
                (questionSent - longSent) / 1_000_000, (Long.parseLong(completed[0]) - longSent) / 1_000_000);
        other.stop();
        talkative.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    private String post(String path, String body, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json");
        if (header != null) {
            request.header(header, value);
        }
        return HTTP.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String message(String content) {
        return "{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"" + content
                + "\",\"contentType\":\"text/plain\"},\"isFinal\":true}]}";
    }

    /** A started stream of {@code enableAllTrackers}. */
    private Stream open(String token) throws Exception {
        Stream stream = new Stream();
        stream.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws")
                + "/v1/streaming/" + UUID.randomUUID() + "?access_token=" + token), stream).join();
        stream.send("{\"type\":\"start_request\",\"config\":{\"trackers\":{\"enableAllTrackers\":true}}}");
        stream.await("conversation_created", 30);
        return stream;
    }

    /** One connection; keeps each frame with the time it arrived. */
    private static final class Stream implements WebSocket.Listener {

        /** {arrival nanoTime, frame text} */
        private final BlockingQueue<String[]> frames = new LinkedBlockingQueue<>();
        private final StringBuilder part = new StringBuilder();
        private WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                frames.add(new String[] {String.valueOf(System.nanoTime()), part.toString()});
                part.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        /** The next frame holding {@code contains}; error frames met on the way are printed. */
        String[] await(String contains, long seconds) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                String[] frame = frames.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new TimeoutException("no frame with " + contains + " within " + seconds + " s");
                }
                if (frame[1].contains(contains)) {
                    return frame;
                }
                if (frame[1].contains("\"error\"")) {
                    System.err.println("error: " + frame[1]);
                }
            }
        }

        void stop() throws Exception {
            send("{\"type\":\"stop_request\"}");
            await("conversation_completed", 60);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }
}
