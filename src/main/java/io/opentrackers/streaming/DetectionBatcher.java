package io.opentrackers.streaming;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
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
 * them (waiting / workers, at most {@code batch-max-messages}) in one call per distinct tracker set, and the
 * other workers take the rest in parallel. Results are handed to a small callback pool so that storing hits and
 * writing frames never delays the next call.
 */
@Component
class DetectionBatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DetectionBatcher.class);

    /** One sentence waiting for detection. */
    private record Pending(TrackerSet trackers, MessageText message, CompletableFuture<List<TrackerHit>> result,
                           long queuedAtNanos) {
    }

    private final TrackerDetector detector;
    private final int backlog;
    private final int maxMessages;
    private final int workers;
    private final int callbackThreads;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final DistributionSummary batchSizes;
    private final Timer detectTime;
    private final Timer queueWait;
    private volatile ExecutorService callbacks;
    private final List<Thread> workerThreads = new ArrayList<>();
    private volatile boolean running;

    DetectionBatcher(TrackerDetector detector, StreamingProperties properties, MeterRegistry meters) {
        this.detector = detector;
        this.backlog = properties.batchBacklog();
        this.maxMessages = properties.batchMaxMessages();
        this.workers = properties.batchWorkers();
        this.callbackThreads = properties.callbackThreads();
        this.batchSizes = DistributionSummary.builder("trackers.streaming.batch.messages")
                .description("Sentences (stored messages) per detector call made by the streaming batcher")
                .publishPercentiles(0.5, 0.95, 0.99).register(meters);
        this.detectTime = StreamingTimers.register(meters, "trackers.streaming.detect",
                "Time of one batched detector call");
        this.queueWait = StreamingTimers.register(meters, "trackers.streaming.queue.wait",
                "Time a streamed sentence waits for a batcher worker before its detector call starts");
    }

    /**
     * Detects hits of {@code trackers} in {@code messages}; completes on a callback thread, with the hits in the
     * order of the messages, or exceptionally if detection failed for any of them.
     */
    CompletableFuture<List<TrackerHit>> detect(TrackerSet trackers, List<MessageText> messages) {
        if (messages.isEmpty() || trackers.trackers().isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (!running) {
            return CompletableFuture.failedFuture(new IllegalStateException("the service is shutting down"));
        }
        long now = System.nanoTime();
        List<CompletableFuture<List<TrackerHit>>> parts = new ArrayList<>(messages.size());
        for (MessageText message : messages) {
            CompletableFuture<List<TrackerHit>> part = new CompletableFuture<>();
            queue.add(new Pending(trackers, message, part, now));
            parts.add(part);
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(allDone -> parts.stream().flatMap(part -> part.join().stream()).toList());
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (running) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int waiting = queue.size() + 1;
                if (waiting >= backlog) {
                    // this worker's share of the backlog, so that the other workers take the rest in parallel
                    // instead of one worker running the whole backlog while they pick up single new arrivals
                    int share = (waiting + workers - 1) / workers;
                    Pending next;
                    while (batch.size() < Math.min(share, maxMessages) && (next = queue.poll()) != null) {
                        batch.add(next);
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
        List<TrackerHit> hits;
        try {
            batchSizes.record(messages.size());
            hits = detectTime.recordCallable(() -> detector.detect(trackers.trackers(), messages));
        } catch (Exception | Error e) {
            if (group.size() > 1) {
                // One bad sentence must not cost every other stream in the batch its results: retry one by one.
                log.warn("Tracker detection failed for a batch of {} sentences; retrying them one by one",
                        messages.size(), e);
                group.forEach(pending -> runGroup(trackers, List.of(pending)));
            } else {
                log.error("Tracker detection failed for a sentence", e);
                callbacks.execute(() -> group.get(0).result().completeExceptionally(e));
            }
            return;
        }
        // Message ids are unique across sessions (stored ids are UUIDs), so hits can be routed back by id.
        Map<String, List<TrackerHit>> hitsByMessage = new HashMap<>();
        for (TrackerHit hit : hits) {
            hitsByMessage.computeIfAbsent(hit.messageId(), id -> new ArrayList<>()).add(hit);
        }
        for (Pending pending : group) {
            List<TrackerHit> own = hitsByMessage.getOrDefault(pending.message().id(), List.of());
            callbacks.execute(() -> pending.result().complete(own));
        }
    }

    @Override
    public void start() {
        AtomicInteger number = new AtomicInteger();
        callbacks = Executors.newFixedThreadPool(callbackThreads, runnable -> {
            Thread thread = new Thread(runnable, "streaming-results-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        for (int i = 1; i <= workers; i++) {
            Thread worker = new Thread(this::loop, "streaming-batcher-" + i);
            worker.setDaemon(true);
            worker.start();
            workerThreads.add(worker);
        }
    }

    @Override
    public void stop() {
        running = false;
        workerThreads.forEach(Thread::interrupt);
        workerThreads.clear();
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("the service is shutting down"));
        }
        callbacks.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
