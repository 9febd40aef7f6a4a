package io.opentrackers.streaming;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Load benchmark of the Streaming API against a running service (see docs/performance.md, "Streaming"):
 * N concurrent streams, each sending one final message per second, against an account with 500 trackers × 10
 * phrases; prints p50/p95/p99 of message → tracker_response latency and the detector batch sizes the service saw.
 * <p>
 * Arguments (all optional): {@code --base-url http://localhost:8080 --operator-key KEY --streams 10,50,100
 * --seconds 60 --warm-up-seconds 60 --data ../shared/data [--app-id ID --app-secret SECRET] [--latency-file PATH]};
 * {@code --latency-file} appends one line per answered message (streams, ms into the run when sent, latency ms); with {@code --app-id}
 * an account of an earlier run is re-used (its 5000 vocabulary embeddings are stored, so the cold start is skipped). Trackers: the Banking77 and SGD trackers of the evaluation data, repeated
 * with a varying lead-in word until there are 500 distinct ones; messages: Banking77 test utterances.
 */
public final class StreamingBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String APP_SECRET = "bench-secret-123";
    private static final AtomicInteger ERRORS = new AtomicInteger();
    private static final String[] LEAD_INS = {"", "so ", "well ", "okay ", "um ", "right ", "now ", "look ", "hey ",
        "also ", "basically ", "honestly ", "actually ", "listen ", "anyway "};

    final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
    private final String baseUrl;
    String token;
    String operatorKey;
    /** The account {@link #login} created (its secret is {@link #APP_SECRET}). */
    String appId;
    private Path latencyFile;

    StreamingBenchmark(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String baseUrl = options.getOrDefault("base-url", "http://localhost:8080");
        String operatorKey = options.getOrDefault("operator-key", System.getenv("TRACKERS_OPERATOR_KEY"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int warmUpSeconds = Integer.parseInt(options.getOrDefault("warm-up-seconds", "60"));
        Path data = Path.of(options.getOrDefault("data", "../shared/data"));
        List<Integer> streamCounts = new ArrayList<>();
        for (String count : options.getOrDefault("streams", "10,50,100").split(",")) {
            streamCounts.add(Integer.parseInt(count.strip()));
        }

        StreamingBenchmark benchmark = new StreamingBenchmark(baseUrl);
        benchmark.operatorKey = operatorKey;
        if (options.containsKey("latency-file")) {
            benchmark.latencyFile = Path.of(options.get("latency-file"));
        }
        if (options.containsKey("app-id")) {
            // Re-use an account of an earlier run: its vocabulary embeddings are already stored.
            benchmark.token(options.get("app-id"), options.getOrDefault("app-secret", APP_SECRET));
            System.out.printf("re-using account %s with %d trackers%n", options.get("app-id"),
                    benchmark.send(benchmark.authorized("/v1/manage/trackers").GET(), 200).path("trackers").size());
        } else {
            benchmark.login(operatorKey);
            benchmark.createTrackers(data, 500);
        }
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("banking77/messages.jsonl"))) {
            messages.add(JSON.readTree(line).path("text").asString());
        }
        benchmark.warmUp(messages);
        if (warmUpSeconds > 0) {
            // A freshly started service is slower until its JIT has compiled the hot paths under load: the first
            // minute at 50 streams had about twice the p99 of the minutes after it. A service in production is warm.
            // In two halves, each with its own 50 streams: the first streams closing and new ones starting send
            // new paths through code the JIT had compiled for the first minute only (hundreds of methods were
            // made not entrant and recompiled then), which made the first measured run after a single warm-up
            // run the slowest every time. A live service sees streams start and end all the time.
            System.out.printf("warming up with 50 streams for %d s, in two halves (not measured)%n", warmUpSeconds);
            benchmark.run(50, warmUpSeconds / 2, messages, false);
            benchmark.run(50, warmUpSeconds - warmUpSeconds / 2, messages, false);
        }
        System.out.printf("%-8s %-9s %-9s %-8s %-8s %-8s %-8s %-10s %-10s%n", "streams", "messages", "answered",
                "p50 ms", "p95 ms", "p99 ms", "max ms", "batch avg", "batch max");
        for (int streams : streamCounts) {
            benchmark.run(streams, seconds, messages, true);
        }
        System.exit(0);
    }

    void login(String operatorKey) throws Exception {
        if (operatorKey == null || operatorKey.isBlank()) {
            throw new IllegalArgumentException("--operator-key (or TRACKERS_OPERATOR_KEY) is required to create the account");
        }
        appId = "bench-" + UUID.randomUUID();
        String credentials = "{\"appId\":\"" + appId + "\",\"appSecret\":\"" + APP_SECRET + "\"}";
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/accounts")).header("X-Operator-Key", operatorKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials)), 201);
        System.out.printf("account %s created (re-use it with --app-id %s)%n", appId, appId);
        token(appId, APP_SECRET);
    }

    void token(String appId, String appSecret) throws Exception {
        JsonNode tokenResponse = send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token:generate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"application\",\"appId\":\"" + appId + "\",\"appSecret\":\"" + appSecret + "\"}")), 200);
        token = tokenResponse.path("accessToken").asString();
    }

    private void createTrackers(Path data, int count) throws Exception {
        List<JsonNode> sources = new ArrayList<>();
        for (String set : List.of("banking77", "sgd")) {
            JSON.readTree(Files.readString(data.resolve(set + "/trackers.json"))).forEach(sources::add);
        }
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < count; i++) {
            JsonNode source = sources.get(i % sources.size());
            String leadIn = LEAD_INS[i / sources.size()];
            ObjectNode tracker = all.addObject();
            tracker.put("name", source.path("name").asString() + (leadIn.isEmpty() ? "" : "-" + leadIn.strip()));
            ArrayNode vocabulary = tracker.putArray("vocabulary");
            for (int j = 0; j < 10 && j < source.path("vocabulary").size(); j++) {
                vocabulary.add(leadIn + source.path("vocabulary").get(j).asString());
            }
        }
        for (int from = 0; from < count; from += 100) {
            ArrayNode chunk = JsonNodeFactory.instance.arrayNode();
            for (int i = from; i < Math.min(count, from + 100); i++) {
                chunk.add(all.get(i));
            }
            send(authorized("/v1/manage/trackers/bulk").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(chunk))), 201);
        }
        System.out.printf("account with %d trackers x 10 phrases created%n", count);
    }

    /**
     * One stream, a few messages, then stop_request: conversation_completed comes only after every detection
     * finished, so the model is loaded and the account's vocabulary index built (5000 phrases embedded on first
     * use) before anything is measured.
     */
    private void warmUp(List<String> messages) throws Exception {
        long started = System.nanoTime();
        Stream stream = open(1).get(0);
        for (int i = 0; i < 5; i++) {
            stream.sendMessage(messages.get(i));
        }
        stream.socket.sendText("{\"type\":\"stop_request\"}", true).join();
        stream.completed.get(30, TimeUnit.MINUTES);
        stream.close();
        System.out.printf("warm-up (model load and vocabulary index of the account) took %.1f s%n",
                (System.nanoTime() - started) / 1e9);
    }

    private void run(int count, int seconds, List<String> messages, boolean print) throws Exception {
        JsonNode before = metric("trackers.streaming.batch.messages");
        Map<String, JsonNode> stagesBefore = stages();
        List<Stream> streams = open(count);
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        streams.forEach(stream -> stream.latencies = latencies);
        long runStarted = System.nanoTime();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(4);
        Random random = new Random(42);
        AtomicInteger sent = new AtomicInteger();
        for (Stream stream : streams) {
            clock.scheduleAtFixedRate(() -> {
                stream.sendMessage(messages.get(random.nextInt(messages.size())));
                sent.incrementAndGet();
            }, random.nextInt(1000), 1000, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(seconds * 1000L);
        clock.shutdownNow();
        Thread.sleep(2000);
        streams.forEach(Stream::close);
        JsonNode after = metric("trackers.streaming.batch.messages");

        if (!print) {
            return;
        }
        List<Long> sorted = new ArrayList<>(latencies.stream().map(sample -> sample[1]).toList());
        Collections.sort(sorted);
        if (latencyFile != null) {
            // one line per answered message: when it was sent (ms into the run) and its latency, to see whether
            // the slow ones cluster in time (pauses, bursts) or are spread out
            StringBuilder lines = new StringBuilder();
            latencies.stream().sorted(java.util.Comparator.comparingLong(sample -> sample[0])).forEach(sample ->
                    lines.append(String.format(java.util.Locale.ROOT, "%d %.3f %.3f%n", count,
                            (sample[0] - runStarted) / 1e6, sample[1] / 1e6)));
            Files.writeString(latencyFile, lines, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        double calls = measurement(after, "COUNT") - measurement(before, "COUNT");
        double total = measurement(after, "TOTAL") - measurement(before, "TOTAL");
        System.out.printf("%-8d %-9d %-9d %-8.1f %-8.1f %-8.1f %-8.1f %-10.1f %-10.0f%n", count, sent.get(),
                sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
                percentile(sorted, 1.0), calls == 0 ? 0 : total / calls, measurement(after, "MAX"));
        Map<String, JsonNode> stagesAfter = stages();
        StringBuilder line = new StringBuilder("         server mean ms:");
        stagesAfter.forEach((name, stage) -> {
            double timed = measurement(stage, "COUNT") - measurement(stagesBefore.get(name), "COUNT");
            double totalSeconds = measurement(stage, "TOTAL_TIME") - measurement(stagesBefore.get(name), "TOTAL_TIME");
            line.append(String.format(" %s %.1f", name.substring("trackers.streaming.".length()),
                    timed == 0 ? 0 : totalSeconds * 1000 / timed));
        });
        System.out.println(line);
    }

    /** The service's own timers of a streamed message's stages, so that a slow run shows where the time went. */
    private Map<String, JsonNode> stages() throws Exception {
        Map<String, JsonNode> stages = new LinkedHashMap<>();
        for (String name : List.of("trackers.streaming.store.messages", "trackers.streaming.queue.wait",
                "trackers.streaming.detect", "trackers.streaming.store.hits", "trackers.streaming.response")) {
            stages.put(name, metric(name));
        }
        return stages;
    }

    List<Stream> open(int count) throws Exception {
        List<Stream> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Stream stream = new Stream();
            stream.socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/v1/streaming/" + UUID.randomUUID()
                            + "?access_token=" + token), stream).get(30, TimeUnit.SECONDS);
            stream.socket.sendText("{\"type\":\"start_request\",\"config\":{\"trackers\":{\"enableAllTrackers\":true}}}",
                    true).get();
            streams.add(stream);
        }
        for (Stream stream : streams) {
            stream.started.get(60, TimeUnit.SECONDS);
        }
        return streams;
    }

    static double percentile(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, Math.min(sortedNanos.size() - 1, index))) / 1e6;
    }

    /** The service's metrics are the operator's: read with the operator key (the token too, for older builds). */
    JsonNode metric(String name) throws Exception {
        HttpRequest.Builder request = authorized("/actuator/metrics/" + name).GET();
        if (operatorKey != null && !operatorKey.isBlank()) {
            request.header("X-Operator-Key", operatorKey);
        }
        return send(request, 200);
    }

    static double measurement(JsonNode metric, String statistic) {
        for (JsonNode measurement : metric.path("measurements")) {
            if (measurement.path("statistic").asString().equals(statistic)) {
                return measurement.path("value").asDouble();
            }
        }
        return 0;
    }

    HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token);
    }

    JsonNode send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * One stream. Frames of a connection are handled in order, so the k-th message_response answers the k-th
     * message sent; its stored ids map each tracker_response back to when its message was sent.
     */
    static final class Stream implements WebSocket.Listener {

        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();
        private final ConcurrentLinkedQueue<Long> sentAt = new ConcurrentLinkedQueue<>();
        private final Map<String, Long> idSentAt = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        volatile ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        WebSocket socket;

        synchronized void sendMessage(String text) {
            ObjectNode frame = JsonNodeFactory.instance.objectNode().put("type", "message_request");
            ObjectNode message = frame.putArray("messages").addObject();
            message.putObject("payload").put("content", text).put("contentType", "text/plain");
            message.put("isFinal", true);
            sentAt.add(System.nanoTime());
            socket.sendText(JSON.writeValueAsString(frame), true).join();
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(error -> null);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                JsonNode frame = JSON.readTree(partial.toString());
                partial.setLength(0);
                switch (frame.path("type").asString()) {
                    case "message" -> {
                        String type = frame.path("message").path("type").asString();
                        if ("recognition_started".equals(type)) {
                            started.complete(null);
                        } else if ("conversation_completed".equals(type)) {
                            completed.complete(null);
                        } else if ("error".equals(type) && ERRORS.getAndIncrement() < 5) {
                            System.err.println("error from the service: " + frame.path("message").path("details").asString());
                        }
                    }
                    case "message_response" -> {
                        Long at = sentAt.poll();
                        frame.path("messages").forEach(message -> idSentAt.put(message.path("id").asString(), at));
                    }
                    case "tracker_response" -> {
                        JsonNode ref = frame.path("trackers").get(0).path("matches").get(0).path("messageRefs").get(0);
                        Long at = idSentAt.remove(ref.path("id").asString());
                        if (at != null) {
                            latencies.add(new long[] {at, now - at});
                        }
                    }
                    default -> { }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
