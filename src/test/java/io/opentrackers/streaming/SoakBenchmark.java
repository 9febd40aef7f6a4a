package io.opentrackers.streaming;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Endurance (soak) run against a running packaged service (see docs/performance.md, "Endurance (soak)"): for
 * {@code --minutes} it mixes, over {@code --accounts} accounts, streams that connect, send, stop and disconnect (one in
 * five just drops its socket), async jobs (every other one with a webhook to a receiver this driver runs), tracker
 * create/patch/delete churn, {@code /v1/match} calls, teaching (examples, suggestions, quality), token generate/revoke
 * and conversation deletes that keep each account at its newest {@code --keep-conversations}. Every
 * {@code --sample-seconds} it samples the service process (RSS, live heap after a forced GC, threads, descriptors), its
 * metrics (pool, job queue, streams, caches, log events), its database (size, backends, rows of each table that
 * grows) and the latencies and failures of the window; at the end a table and each figure's growth per hour.
 * <p>
 * Arguments: {@code --base-url http://localhost:8080 --operator-key KEY --pid PID_OF_THE_SERVICE --log SERVICE_LOG
 * [--minutes 20 --accounts 4 --streams 12 --sample-seconds 30 --keep-conversations 30 --data ../shared/data
 * --db-url jdbc:postgresql://localhost:PORT/postgres]}; without {@code --db-url} the embedded database's port is
 * read from the log line {@code Embedded PostgreSQL listening on localhost:PORT}. The service must allow webhooks to
 * loopback ({@code --trackers.jobs.webhook.allowed-networks=127.0.0.0/8}).
 */
public final class SoakBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern EMBEDDED_PORT = Pattern.compile("Embedded PostgreSQL listening on localhost:(\\d+)");
    /** Tables whose rows should level off under a workload that deletes what it no longer needs. */
    private static final List<String> TABLES = List.of("conversation", "conversation_message", "tracker_hit",
            "message_vector", "job", "webhook_delivery", "revoked_token", "tracker", "tracker_example",
            "vocabulary_embedding", "tracker_threshold", "tracker_daily_stats");

    private final Map<String, String> options;
    private final String baseUrl;
    private final String operatorKey;
    private final long pid;
    private final Path log;
    private final List<StreamingBenchmark> accounts = new ArrayList<>();
    private final List<JsonNode> sourceTrackers = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final Map<StreamingBenchmark, List<String>> baseTrackerIds = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger churnCounter = new AtomicInteger();
    private volatile long deadline;

    // what the workers did since the last sample
    private final ConcurrentLinkedQueue<long[]> streamLatencies = new ConcurrentLinkedQueue<>();
    private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> done = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong webhooksReceived = new AtomicLong();
    private final AtomicLong webhooksExpected = new AtomicLong();

    private final List<Map<String, Double>> samples = new ArrayList<>();
    private long logOffset;

    private SoakBenchmark(Map<String, String> options) {
        this.options = options;
        this.baseUrl = options.getOrDefault("base-url", "http://localhost:8080");
        this.operatorKey = options.getOrDefault("operator-key", System.getenv("TRACKERS_OPERATOR_KEY"));
        this.pid = Long.parseLong(required(options, "pid"));
        this.log = Path.of(required(options, "log"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new SoakBenchmark(options).run();
        System.exit(0);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private void run() throws Exception {
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "20"));
        int accountCount = Integer.parseInt(options.getOrDefault("accounts", "4"));
        int streams = Integer.parseInt(options.getOrDefault("streams", "12"));
        int sampleSeconds = Integer.parseInt(options.getOrDefault("sample-seconds", "30"));
        int keep = Integer.parseInt(options.getOrDefault("keep-conversations", "30"));
        // "false" leaves examples out of the load, to tell what the rest costs from what teaching adds
        boolean teaching = Boolean.parseBoolean(options.getOrDefault("teaching", "true"));
        Path data = Path.of(options.getOrDefault("data", "../shared/data"));
        JSON.readTree(Files.readString(data.resolve("banking77/trackers.json"))).forEach(sourceTrackers::add);
        for (String line : Files.readAllLines(data.resolve("banking77/messages.jsonl"))) {
            messages.add(JSON.readTree(line).path("text").asString());
        }

        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhooksReceived.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.start();
        String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

        for (int i = 0; i < accountCount; i++) {
            StreamingBenchmark account = new StreamingBenchmark(baseUrl);
            account.operatorKey = operatorKey;
            account.login(operatorKey);
            baseTrackerIds.put(account, createBaseTrackers(account, 15));
            accounts.add(account);
        }
        try (Connection db = DriverManager.getConnection(databaseUrl(), "postgres", "")) {
            System.out.printf("soak: %d min, %d accounts, %d streams, jobs with webhooks to %s, samples every %d s%s%n",
                    minutes, accountCount, streams, hookUrl, sampleSeconds, teaching ? "" : ", no teaching");
            logOffset = 0;
            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
            ExecutorService workers = Executors.newCachedThreadPool();
            for (int i = 0; i < streams; i++) {
                StreamingBenchmark account = accounts.get(i % accounts.size());
                workers.submit(() -> loop("stream", () -> oneStream(account)));
            }
            for (StreamingBenchmark account : accounts) {
                workers.submit(() -> loop("job", () -> oneJob(account, hookUrl)));
            }
            workers.submit(() -> loop("churn", () -> trackerChurn(random(accounts))));
            workers.submit(() -> loop("match", () -> match(random(accounts))));
            if (teaching) {
                workers.submit(() -> loop("teach", () -> teach(random(accounts))));
            }
            workers.submit(() -> loop("tidy", () -> tidy(random(accounts), keep)));

            long started = System.nanoTime();
            printHeader();
            while (System.nanoTime() < deadline) {
                Thread.sleep(sampleSeconds * 1000L);
                sample(db, (System.nanoTime() - started) / 60e9);
            }
            workers.shutdownNow();
            workers.awaitTermination(2, TimeUnit.MINUTES);
            Thread.sleep(15_000);   // the last jobs' webhooks
            sample(db, (System.nanoTime() - started) / 60e9);
            summary();
            System.out.printf("webhooks: %d notifications expected (3 per job with a webhook), %d received%n",
                    webhooksExpected.get(), webhooksReceived.get());
        } finally {
            receiver.stop(0);
        }
    }

    private String databaseUrl() throws IOException {
        if (options.containsKey("db-url")) {
            return options.get("db-url");
        }
        Matcher port = EMBEDDED_PORT.matcher(Files.readString(log));
        if (!port.find()) {
            throw new IllegalArgumentException("no 'Embedded PostgreSQL listening on' line in " + log + ": pass --db-url");
        }
        return "jdbc:postgresql://localhost:" + port.group(1) + "/postgres";
    }

    private List<String> createBaseTrackers(StreamingBenchmark account, int count) throws Exception {
        ArrayNode trackers = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < count; i++) {
            JsonNode source = sourceTrackers.get(i);
            ObjectNode tracker = trackers.addObject().put("name", source.path("name").asString());
            ArrayNode vocabulary = tracker.putArray("vocabulary");
            for (int j = 0; j < 10 && j < source.path("vocabulary").size(); j++) {
                vocabulary.add(source.path("vocabulary").get(j).asString());
            }
        }
        JsonNode created = account.send(account.authorized("/v1/manage/trackers/bulk")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(trackers))), 201);
        List<String> ids = new ArrayList<>();
        created.path("trackers").forEach(tracker -> ids.add(tracker.path("id").asString()));
        return ids;
    }

    private interface Step {
        void run() throws Exception;
    }

    private void loop(String kind, Step step) {
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            try {
                step.run();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (System.nanoTime() < deadline) {
                    failures.add(kind + ": " + e);
                    pause(2000, 4000);
                }
            }
        }
    }

    private static <T> T random(List<T> items) {
        return items.get(ThreadLocalRandom.current().nextInt(items.size()));
    }

    private String randomMessage() {
        return random(messages);
    }

    private static void pause(int fromMillis, int toMillis) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(fromMillis, toMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(String kind, long startedNanos) {
        latencies.computeIfAbsent(kind, name -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - startedNanos);
        done.computeIfAbsent(kind, name -> new AtomicInteger()).incrementAndGet();
    }

    /** Connect, send 10–30 messages about one a second, then stop and close, or (one in five) drop the socket. */
    private void oneStream(StreamingBenchmark account) throws Exception {
        StreamingBenchmark.Stream stream = account.open(1).get(0);
        stream.latencies = streamLatencies;
        try {
            int count = ThreadLocalRandom.current().nextInt(10, 31);
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                stream.sendMessage(randomMessage());
                pause(700, 1300);
            }
            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                stream.socket.abort();
                done.computeIfAbsent("stream-dropped", name -> new AtomicInteger()).incrementAndGet();
            } else {
                long stopped = System.nanoTime();
                stream.socket.sendText("{\"type\":\"stop_request\"}", true).join();
                stream.completed.get(60, TimeUnit.SECONDS);
                record("stream-stop", stopped);
                stream.close();
            }
        } catch (Exception e) {
            stream.socket.abort();
            throw e;
        }
        pause(1000, 3000);
    }

    /** Submit 20 messages (every other job with a webhook), wait for the job, read its hits and messages. */
    private void oneJob(StreamingBenchmark account, String hookUrl) throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", "soak call");
        boolean webhook = ThreadLocalRandom.current().nextBoolean();
        if (webhook) {
            body.put("webhookUrl", hookUrl);
        }
        ArrayNode list = body.putArray("messages");
        for (int i = 0; i < 20; i++) {
            ObjectNode message = list.addObject();
            message.putObject("payload").put("content", randomMessage());
            message.putObject("from").put("name", i % 2 == 0 ? "Ann" : "Bob");
        }
        long started = System.nanoTime();
        HttpResponse<String> submitted = call(account, account.authorized("/v1/process/text")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        if (submitted.statusCode() == 429) {
            done.computeIfAbsent("job-429", name -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(1000L * Long.parseLong(submitted.headers().firstValue("Retry-After").orElse("5")));
            return;
        }
        JsonNode ids = expect(submitted, 201);
        if (webhook) {
            webhooksExpected.addAndGet(3);
        }
        String jobId = ids.path("jobId").asString();
        String conversationId = ids.path("conversationId").asString();
        while (true) {
            String status = account.send(account.authorized("/v1/job/" + jobId).GET(), 200).path("status").asString();
            if ("completed".equals(status)) {
                break;
            }
            if ("failed".equals(status)) {
                throw new IllegalStateException("job " + jobId + " failed");
            }
            if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(5)) {
                throw new IllegalStateException("job " + jobId + " still " + status + " after 5 minutes");
            }
            Thread.sleep(500);
        }
        record("job", started);
        account.send(account.authorized("/v1/conversations/" + conversationId + "/trackers").GET(), 200);
        account.send(account.authorized("/v1/conversations/" + conversationId + "/messages").GET(), 200);
        pause(2000, 6000);
    }

    /** A tracker created, patched (its index rebuilt), one of the account's trackers re-tuned, the new one deleted. */
    private void trackerChurn(StreamingBenchmark account) throws Exception {
        JsonNode source = random(sourceTrackers);
        ObjectNode tracker = JsonNodeFactory.instance.objectNode()
                .put("name", "churn " + churnCounter.incrementAndGet());
        ArrayNode vocabulary = tracker.putArray("vocabulary");
        for (int j = 0; j < 6 && j < source.path("vocabulary").size(); j++) {
            vocabulary.add(source.path("vocabulary").get(j).asString());
        }
        long started = System.nanoTime();
        String id = account.send(account.authorized("/v1/manage/trackers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(tracker))), 201)
                .path("tracker").path("id").asString();
        record("tracker-create", started);
        pause(2000, 5000);
        String phrase = source.path("vocabulary").get(Math.min(6, source.path("vocabulary").size() - 1)).asString();
        account.send(account.authorized("/v1/manage/trackers/" + id)
                .header("Content-Type", "application/json-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "[{\"op\":\"replace\",\"path\":\"/vocabulary/0\",\"value\":" + JSON.writeValueAsString(phrase + " now")
                        + "},{\"op\":\"add\",\"path\":\"/sensitivity\",\"value\":0.6}]")), 200);
        String baseId = random(baseTrackerIds.get(account));
        double sensitivity = ThreadLocalRandom.current().nextBoolean() ? 0.5 : 0.6;
        account.send(account.authorized("/v1/manage/trackers/" + baseId)
                .header("Content-Type", "application/json-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "[{\"op\":\"add\",\"path\":\"/sensitivity\",\"value\":" + sensitivity + "}]")), 200);
        pause(5000, 10000);
        account.send(account.authorized("/v1/manage/trackers/" + id).DELETE(), 200);
        pause(2000, 5000);
    }

    private void match(StreamingBenchmark account) throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode list = body.putArray("messages");
        for (int i = 0; i < 3; i++) {
            list.addObject().put("id", "m" + i).putObject("payload").put("content", randomMessage());
        }
        long started = System.nanoTime();
        account.send(account.authorized("/v1/match").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), 200);
        record("match", started);
        pause(1000, 2000);
    }

    /** Two sentences labelled (one each way), then the tracker's suggestions and its quality estimate. */
    private void teach(StreamingBenchmark account) throws Exception {
        String trackerId = random(baseTrackerIds.get(account));
        String examples = "[{\"text\":" + JSON.writeValueAsString(randomMessage()) + ",\"match\":true},{\"text\":"
                + JSON.writeValueAsString(randomMessage()) + ",\"match\":false}]";
        account.send(account.authorized("/v1/manage/trackers/" + trackerId + "/examples")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(examples)), 201);
        long started = System.nanoTime();
        account.send(account.authorized("/v1/manage/trackers/" + trackerId + "/suggestions?limit=10").GET(), 200);
        record("suggestions", started);
        started = System.nanoTime();
        account.send(account.authorized("/v1/manage/trackers/" + trackerId + "/quality").GET(), 200);
        record("quality", started);
        pause(5000, 10000);
    }

    /** Keeps the account's newest conversations, deletes the others, and generates and revokes a token. */
    private void tidy(StreamingBenchmark account, int keep) throws Exception {
        JsonNode page = account.send(account.authorized("/v1/conversations?limit=200").GET(), 200);
        JsonNode conversations = page.path("conversations");
        for (int i = keep; i < conversations.size(); i++) {
            long started = System.nanoTime();
            account.send(account.authorized("/v1/conversations/" + conversations.get(i).path("id").asString())
                    .DELETE(), 200);
            record("conversation-delete", started);
        }
        JsonNode issued = account.send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token:generate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"application\",\"appId\":\"" + account.appId + "\",\"appSecret\":\""
                        + StreamingBenchmark.APP_SECRET + "\"}")), 200);
        account.send(account.authorized("/oauth2/token:revoke").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"token\":\"" + issued.path("accessToken").asString() + "\"}")), 200);
        done.computeIfAbsent("token-revoked", name -> new AtomicInteger()).incrementAndGet();
        pause(3000, 6000);
    }

    private static HttpResponse<String> call(StreamingBenchmark account, HttpRequest.Builder request) throws Exception {
        return account.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    // ---------------------------------------------------------------------------------------------- sampling

    private static final String[] COLUMNS = {"min", "rss", "heap", "live", "thr", "fd", "hk.a", "hk.i", "pgb", "db",
        "jobs.w", "conns", "idx", "vec.c", "warn", "err", "convs", "msgs", "vecs", "jobs", "hooks", "revok", "fail", "str.p95",
        "match.p95", "job.p95", "n.str", "n.job", "n.match"};

    private void printHeader() {
        StringBuilder line = new StringBuilder();
        for (String column : COLUMNS) {
            line.append(String.format(Locale.ROOT, "%9s", column));
        }
        System.out.println(line);
    }

    private void sample(Connection db, double minutes) throws Exception {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("min", minutes);
        Map<String, Long> status = procStatus();
        row.put("rss", status.getOrDefault("VmRSS", 0L) / 1024.0);
        row.put("thr", (double) status.getOrDefault("Threads", 0L));
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            row.put("fd", (double) fds.count());
        }
        StreamingBenchmark reader = accounts.get(0);
        row.put("heap", gauge(reader, "jvm.memory.used?tag=area:heap") / 1048576);
        // the heap that is really held: what is left right after a full collection
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(60, TimeUnit.SECONDS);
        row.put("live", gauge(reader, "jvm.memory.used?tag=area:heap") / 1048576);
        row.put("hk.a", gauge(reader, "hikaricp.connections.active"));
        row.put("hk.i", gauge(reader, "hikaricp.connections.idle"));
        row.put("jobs.w", gauge(reader, "trackers.jobs.waiting"));
        row.put("conns", gauge(reader, "trackers.streaming.connections"));
        row.put("idx", gauge(reader, "cache.size?tag=cache:trackers.indexes"));
        row.put("vec.c", gauge(reader, "cache.size?tag=cache:trackers.tracker-vectors"));
        row.put("warn", gauge(reader, "logback.events?tag=level:warn"));
        row.put("err", gauge(reader, "logback.events?tag=level:error"));
        try (Statement statement = db.createStatement()) {
            row.put("db", query(statement, "select pg_database_size(current_database())") / 1048576);
            row.put("pgb", query(statement, "select count(*) from pg_stat_activity where backend_type = 'client backend'"));
            Map<String, Double> rows = new LinkedHashMap<>();
            for (String table : TABLES) {
                rows.put(table, query(statement, "select count(*) from " + table));
            }
            row.put("convs", rows.get("conversation"));
            row.put("msgs", rows.get("conversation_message"));
            row.put("vecs", rows.get("message_vector"));
            row.put("jobs", rows.get("job"));
            row.put("hooks", rows.get("webhook_delivery"));
            row.put("revok", rows.get("revoked_token"));
            rows.forEach((table, count) -> row.put("rows." + table, count));
        }
        List<String> failed = new ArrayList<>();
        for (String failure; (failure = failures.poll()) != null; ) {
            failed.add(failure);
        }
        row.put("fail", (double) failed.size());
        List<Long> streamed = new ArrayList<>();
        for (long[] sample; (sample = streamLatencies.poll()) != null; ) {
            streamed.add(sample[1]);
        }
        row.put("str.p95", p95(streamed));
        row.put("match.p95", p95(drain("match")));
        row.put("job.p95", p95(drain("job")));
        row.put("n.str", (double) streamed.size());
        row.put("n.job", (double) count("job"));
        row.put("n.match", (double) count("match"));
        for (String kind : List.of("stream-stop", "stream-dropped", "tracker-create", "suggestions", "quality",
                "conversation-delete", "token-revoked", "job-429")) {
            row.put("n." + kind, (double) count(kind));
            drain(kind);
        }
        samples.add(row);

        StringBuilder line = new StringBuilder();
        for (String column : COLUMNS) {
            line.append(String.format(Locale.ROOT, "%9.1f", row.getOrDefault(column, Double.NaN)));
        }
        System.out.println(line);
        failed.stream().distinct().limit(3).forEach(failure -> System.out.println("    failed: " + abbreviate(failure)));
        newLogProblems().stream().limit(5).forEach(problem -> System.out.println("    log: " + abbreviate(problem)));
    }

    private Map<String, Long> procStatus() throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            String[] parts = line.split(":\\s+");
            if (parts.length == 2 && parts[1].matches("\\d+( kB)?")) {
                values.put(parts[0], Long.parseLong(parts[1].replace(" kB", "")));
            }
        }
        return values;
    }

    private static double gauge(StreamingBenchmark reader, String nameAndTag) {
        try {
            JsonNode metric = reader.metric(nameAndTag);
            double value = StreamingBenchmark.measurement(metric, "VALUE");
            return value == 0 ? StreamingBenchmark.measurement(metric, "COUNT") : value;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static double query(Statement statement, String sql) throws Exception {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getDouble(1);
        }
    }

    private List<Long> drain(String kind) {
        List<Long> drained = new ArrayList<>();
        ConcurrentLinkedQueue<Long> queue = latencies.get(kind);
        if (queue != null) {
            for (Long value; (value = queue.poll()) != null; ) {
                drained.add(value);
            }
        }
        return drained;
    }

    private int count(String kind) {
        AtomicInteger counter = done.get(kind);
        return counter == null ? 0 : counter.getAndSet(0);
    }

    private static double p95(List<Long> nanos) {
        Collections.sort(nanos);
        return StreamingBenchmark.percentile(nanos, 0.95);
    }

    /** The service log's WARN and ERROR lines (and what follows them) since the last sample. */
    private List<String> newLogProblems() throws IOException {
        List<String> problems = new ArrayList<>();
        byte[] all = Files.readAllBytes(log);
        String added = new String(all, (int) Math.min(logOffset, all.length), (int) Math.max(0, all.length - logOffset),
                StandardCharsets.UTF_8);
        logOffset = all.length;
        for (String line : added.split("\n")) {
            if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                problems.add(line);
            }
        }
        return problems;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /**
     * First, middle and last sample, and each figure's growth per hour: the least-squares slope over the whole run
     * and over its second half (a figure that levels off has a second-half slope near zero).
     */
    private void summary() {
        if (samples.size() < 4) {
            return;
        }
        Map<String, Double> first = samples.get(0);
        Map<String, Double> middle = samples.get(samples.size() / 2);
        Map<String, Double> last = samples.get(samples.size() - 1);
        System.out.printf("%n%-28s %10s %10s %10s %14s %14s%n", "figure", "first", "middle", "last", "per hour, all",
                "per hour, 2nd half");
        for (String figure : last.keySet()) {
            if (figure.equals("min") || figure.startsWith("n.") || figure.endsWith("p95") || figure.equals("fail")) {
                continue;
            }
            System.out.printf(Locale.ROOT, "%-28s %10.1f %10.1f %10.1f %14.1f %14.1f%n", figure, first.get(figure),
                    middle.get(figure), last.get(figure), slopePerHour(samples, figure),
                    slopePerHour(samples.subList(samples.size() / 2, samples.size()), figure));
        }
        Map<String, Double> totals = new LinkedHashMap<>();
        for (Map<String, Double> sample : samples) {
            sample.forEach((figure, value) -> {
                if ((figure.startsWith("n.") || figure.equals("fail")) && !value.isNaN()) {
                    totals.merge(figure, value, Double::sum);
                }
            });
        }
        System.out.println("done in the run: " + totals);
        for (String latency : List.of("str.p95", "match.p95", "job.p95")) {
            List<Double> values = samples.stream().map(sample -> sample.get(latency)).filter(v -> !v.isNaN()).toList();
            if (values.size() >= 4) {
                int quarter = values.size() / 4;
                System.out.printf(Locale.ROOT, "%s ms: first quarter mean %.1f, last quarter mean %.1f%n", latency,
                        values.subList(0, quarter).stream().mapToDouble(Double::doubleValue).average().orElse(0),
                        values.subList(values.size() - quarter, values.size()).stream()
                                .mapToDouble(Double::doubleValue).average().orElse(0));
            }
        }
    }

    private static double slopePerHour(List<Map<String, Double>> rows, String figure) {
        double n = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXY = 0;
        double sumXX = 0;
        for (Map<String, Double> row : rows) {
            double x = row.get("min") / 60;
            double y = row.getOrDefault(figure, Double.NaN);
            if (Double.isNaN(y)) {
                continue;
            }
            n++;
            sumX += x;
            sumY += y;
            sumXY += x * y;
            sumXX += x * x;
        }
        double denominator = n * sumXX - sumX * sumX;
        return n < 2 || denominator == 0 ? Double.NaN : (n * sumXY - sumX * sumY) / denominator;
    }
}
