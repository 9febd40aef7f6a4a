package io.opentrackers.streaming;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.common.ShutdownPhases;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Runs detection for all streams on a few worker threads, batching across streams only under backlog.
 *
 * <p>Every message of a batch waits for the whole batch, and on the 2-core machine we measure on a model run of n
 * short texts costs nearly n single runs (bge-small int8: 6.7 ms per text alone, 6.1 ms in runs of 16), so at
 * moderate load a worker takes one message at a time (50 streams, same runs: p99 37-61 ms against 43-77 ms when
 * a burst of 4-6 messages went in one call). For the same reason the sentences of one message_request are queued
 * one by one, so that idle workers embed them in parallel: a message of 4 sentences took 28 ms on one worker, and
 * such messages were the slowest 1 % at 50 streams. Under overload batching is what keeps up (150 streams: one at
 * a time fell seconds behind), so once {@code batch-backlog} sentences are waiting a worker takes its share of
 * them (waiting / workers, at most {@code batch-max-messages}, and at most {@code batch-max-words} words, see
 * {@link #words}) in one call per distinct tracker set, and the other workers take the rest in parallel. Sentences are
 * taken from the streams in turn ({@link TakenInTurns}), so a stream that sends a long message delays the others by
 * about one call each, and the words bound what that call costs, however long the other stream's sentences are
 * (docs/performance.md, "One stream's long message and the others"). Results are handed to a small callback pool so
 * that storing hits and writing frames never delays the next call.
 *
 * <p>It stops late ({@link ShutdownPhases#DRAIN_STREAMING}): the streaming handler drains its streams when the context
 * closes, before any lifecycle stops, and needs detection for that. Stopping refuses new sentences, lets the workers
 * finish those already queued for at most {@code shutdown-drain} and waits for their results to be delivered; only
 * sentences still queued after that fail. The pools are Spring's, created and shut down by this lifecycle rather
 * than declared as beans: executor beans shut themselves down on the context-closed event, which would take the
 * threads away while the handler is still draining.
 */
@Component
class DetectionBatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DetectionBatcher.class);

    /** One sentence waiting for detection, with its words ({@link #words}). */
    private record Pending(TrackerSet trackers, MessageText message, int words, CompletableFuture<Detected> result,
                           long queuedAtNanos) {
    }

    /** One sentence's hits, and the vector of its own text where the detector computed one (else null). */
    private record Detected(List<TrackerHit> hits, float[] ownVector) {
    }

    /** Characters that count as one word at most ({@link #words}); English words average about 5 with a space. */
    static final int CHARACTERS_PER_WORD = 8;

    private final TrackerDetector detector;
    private final int backlog;
    private final int maxMessages;
    private final int maxWords;
    private final int workers;
    private final int callbackThreads;
    private final Duration shutdownDrain;
    /** Per stream, taken in turns: one stream's long message is detected between the other streams' sentences. */
    private final TakenInTurns<Pending> queue = new TakenInTurns<>();
    private final DistributionSummary batchSizes;
    private final Timer detectTime;
    private final Timer queueWait;
    private volatile ThreadPoolTaskExecutor workerPool;
    private volatile ThreadPoolTaskExecutor callbacks;
    /** New sentences are queued only while this is true; it turns false when stopping starts. */
    private volatile boolean accepting;
    /** Workers take sentences while this is true; it turns false once the drain is over or ran out of time. */
    private volatile boolean running;

    DetectionBatcher(TrackerDetector detector, StreamingProperties properties, MeterRegistry meters) {
        this.detector = detector;
        this.backlog = properties.batchBacklog();
        this.maxMessages = properties.batchMaxMessages();
        this.maxWords = properties.batchMaxWords();
        this.workers = properties.batchWorkers();
        this.callbackThreads = properties.callbackThreads();
        this.shutdownDrain = properties.shutdownDrain();
        this.batchSizes = DistributionSummary.builder("trackers.streaming.batch.messages")
                .description("Sentences (stored messages) per detector call made by the streaming batcher")
                .publishPercentiles(0.5, 0.95, 0.99).register(meters);
        this.detectTime = StreamingTimers.register(meters, "trackers.streaming.detect",
                "Time of one batched detector call");
        this.queueWait = StreamingTimers.register(meters, "trackers.streaming.queue.wait",
                "Time a streamed sentence waits for a batcher worker before its detector call starts");
    }

    /**
     * Detects hits of {@code trackers} in {@code messages} of {@code stream} (whose sentences are taken in turn with
     * other streams'); completes on a callback thread, with the hits in the order of the messages, or exceptionally
     * if detection failed for any of them.
     */
    CompletableFuture<TrackerDetector.HitsAndVectors> detect(Object stream, TrackerSet trackers,
            List<MessageText> messages) {
        if (messages.isEmpty() || trackers.trackers().isEmpty()) {
            return CompletableFuture.completedFuture(
                    new TrackerDetector.HitsAndVectors(List.of(), new float[messages.size()][]));
        }
        if (!accepting) {
            return CompletableFuture.failedFuture(shuttingDown());
        }
        long now = System.nanoTime();
        List<Pending> queued = new ArrayList<>(messages.size());
        for (MessageText message : messages) {
            queued.add(new Pending(trackers, message, words(message.text()), new CompletableFuture<>(), now));
        }
        queue.addAll(stream, queued);
        if (!accepting) {
            // stopping began while these were queued: a worker may already have decided the queue is drained, so
            // take back whatever is still waiting rather than leave it waiting for ever
            queued.stream().filter(queue::remove)
                    .forEach(pending -> pending.result().completeExceptionally(shuttingDown()));
        }
        List<CompletableFuture<Detected>> parts = queued.stream().map(Pending::result).toList();
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(allDone -> new TrackerDetector.HitsAndVectors(
                        parts.stream().flatMap(part -> part.join().hits().stream()).toList(),
                        parts.stream().map(part -> part.join().ownVector()).toArray(float[][]::new)));
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (running) {
            try {
                Pending first = accepting ? queue.poll(200, TimeUnit.MILLISECONDS) : queue.poll();
                if (first == null) {
                    if (accepting) {
                        continue;
                    }
                    break; // stopping and the queue is drained
                }
                batch.add(first);
                int waiting = queue.size() + 1;
                if (waiting >= backlog) {
                    // this worker's share of the backlog, so that the other workers take the rest in parallel
                    // instead of one worker running the whole backlog while they pick up single new arrivals
                    int share = (waiting + workers - 1) / workers;
                    int words = first.words();
                    while (batch.size() < Math.min(share, maxMessages)) {
                        int left = maxWords - words;
                        Pending next = queue.pollIf(pending -> pending.words() <= left);
                        if (next == null) {
                            break; // nothing waits, or the next in turn would take the call past its words
                        }
                        batch.add(next);
                        words += next.words();
                    }
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * The words of a sentence (runs of non-white-space), and at least one per {@value #CHARACTERS_PER_WORD}
     * characters: what a detector call's cost grows with, since a long sentence is read in word windows, a model run
     * per 8 words, besides its own run (docs/performance.md, "One stream's long message and the others"). A call takes
     * sentences only up to {@code batch-max-words} of them, so that the call another stream's next sentence waits for
     * stays short; a longer sentence goes alone. The floor is for run-on "words" (a pasted key, a URL): one word of
     * 1000 characters has no windows but fills its own run with the model's 256 tokens.
     */
    static int words(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return Math.max(words, text.length() / CHARACTERS_PER_WORD);
    }

    private void run(List<Pending> batch) {
        long now = System.nanoTime();
        batch.forEach(pending -> queueWait.record(now - pending.queuedAtNanos(), TimeUnit.NANOSECONDS));
        Map<TrackerSet, List<Pending>> groups = new LinkedHashMap<>();
        for (Pending pending : batch) {
            groups.computeIfAbsent(pending.trackers(), set -> new ArrayList<>()).add(pending);
        }
        groups.forEach(this::runGroup);
    }

    private void runGroup(TrackerSet trackers, List<Pending> group) {
        List<MessageText> messages = group.stream().map(Pending::message).toList();
        TrackerDetector.HitsAndVectors detected;
        try {
            batchSizes.record(messages.size());
            detected = detectTime.recordCallable(() -> detector.detectKeepingVectors(trackers.account(),
                    trackers.trackers(), messages));
        } catch (Exception | Error e) {
            if (group.size() > 1) {
                // One bad sentence must not cost every other stream in the batch its results: retry one by one.
                log.warn("Tracker detection failed for a batch of {} sentences; retrying them one by one",
                        messages.size(), e);
                group.forEach(pending -> runGroup(trackers, List.of(pending)));
            } else {
                log.error("Tracker detection failed for a sentence", e);
                Pending failed = group.get(0);
                deliver(failed, () -> failed.result().completeExceptionally(e));
            }
            return;
        }
        // Message ids are unique across sessions (stored ids are UUIDs), so hits can be routed back by id.
        Map<String, List<TrackerHit>> hitsByMessage = new HashMap<>();
        for (TrackerHit hit : detected.hits()) {
            hitsByMessage.computeIfAbsent(hit.messageId(), id -> new ArrayList<>()).add(hit);
        }
        for (int i = 0; i < group.size(); i++) {
            Pending pending = group.get(i);
            Detected own = new Detected(hitsByMessage.getOrDefault(pending.message().id(), List.of()),
                    detected.ownVectors()[i]);
            deliver(pending, () -> pending.result().complete(own));
        }
    }

    /** Completes a sentence's result on a callback thread, or fails it if a stop ran out of time meanwhile. */
    private void deliver(Pending pending, Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (TaskRejectedException stopped) {
            pending.result().completeExceptionally(shuttingDown());
        }
    }

    private static IllegalStateException shuttingDown() {
        return new IllegalStateException("the service is shutting down");
    }

    @Override
    public void start() {
        callbacks = pool("streaming-results-", callbackThreads);
        workerPool = pool("streaming-batcher-", workers);
        running = true;
        accepting = true;
        for (int i = 0; i < workers; i++) {
            workerPool.execute(this::loop);
        }
    }

    /**
     * Daemon threads, so that a thread still busy after its shutdown wait never keeps the JVM alive; shutting down
     * lets the tasks under way finish for at most {@code shutdown-drain}, without interrupting them.
     */
    private ThreadPoolTaskExecutor pool(String threadNamePrefix, int threads) {
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setThreadNamePrefix(threadNamePrefix);
        pool.setDaemon(true);
        pool.setCorePoolSize(threads);
        pool.setMaxPoolSize(threads);
        pool.setWaitForTasksToCompleteOnShutdown(true);
        pool.setAwaitTerminationMillis(shutdownDrain.toMillis());
        pool.initialize();
        return pool;
    }

    /** Drains: the workers finish the queue (bounded), then the callbacks deliver what they detected. */
    @Override
    public void stop() {
        accepting = false;
        workerPool.shutdown();
        running = false;
        int left = 0;
        Pending pending;
        while ((pending = queue.poll()) != null) {
            pending.result().completeExceptionally(shuttingDown());
            left++;
        }
        if (left > 0) {
            log.warn("{} streamed sentences were still queued after the shutdown drain ({}); they failed", left,
                    shutdownDrain);
        }
        callbacks.shutdown();
        workerPool = null;
    }

    @Override
    public boolean isRunning() {
        return workerPool != null;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.DRAIN_STREAMING;
    }
}
