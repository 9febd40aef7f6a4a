package io.opentrackers.streaming;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentrackers.account.AccountId;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class DetectionBatcherTest {

    /**
     * How long a test waits for what must happen (results, a stop): far beyond what it takes even on a loaded build
     * machine, so that only something that never happens runs into it. A {@code [hold]} call is held as long at most.
     */
    private static final long WAIT_SECONDS = 30;

    private static final AccountId ACCOUNT = new AccountId(UUID.randomUUID());
    private static final TrackerSet BUDGET = new TrackerSet(ACCOUNT, List.of(
            new TrackerDefinition("t1", "Budget", List.of("budget"), null, 1)));
    private static final TrackerSet PRICE = new TrackerSet(ACCOUNT, List.of(
            new TrackerDefinition("t2", "Price", List.of("price"), null, 1)));

    /** Every call the batcher made: the trackers and the message ids it passed. */
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private DetectionBatcher batcher;
    private final CountDownLatch held = new CountDownLatch(1);
    /** Detector calls inside their {@code [hold]} now. */
    private final AtomicInteger holding = new AtomicInteger();

    /** Records the call, then finds the first phrase of each tracker literally; each message's vector is its id's hash. */
    private final TrackerDetector recordingDetector = new TrackerDetector() {
        @Override
        public List<TrackerHit> detect(AccountId account, List<TrackerDefinition> trackers,
                List<MessageText> messages) {
            return record(trackers, messages);
        }

        @Override
        public HitsAndVectors detectKeepingVectors(AccountId account, List<TrackerDefinition> trackers,
                List<MessageText> messages) {
            return new HitsAndVectors(record(trackers, messages), messages.stream()
                    .map(message -> new float[] {message.id().hashCode()}).toArray(float[][]::new));
        }
    };

    /** The hits of a detection of a stream's request, without the vectors. */
    private CompletableFuture<List<TrackerHit>> detectHits(Object stream, TrackerSet trackers,
            List<MessageText> messages) {
        return batcher.detect(stream, trackers, messages).thenApply(TrackerDetector.HitsAndVectors::hits);
    }

    /** The hits of a detection of a request of a stream of its own. */
    private CompletableFuture<List<TrackerHit>> detectHits(TrackerSet trackers, List<MessageText> messages) {
        return detectHits(new Object(), trackers, messages);
    }

    private List<TrackerHit> record(List<TrackerDefinition> trackers, List<MessageText> messages) {
        calls.add(messages.stream().map(MessageText::id).toList());
        if (messages.stream().anyMatch(message -> message.text().contains("[hold]"))) {
            holding.incrementAndGet();
            try {
                held.await(WAIT_SECONDS, SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.decrementAndGet();
            }
        }
        if (messages.stream().anyMatch(message -> message.text().contains("[fail]"))) {
            throw new IllegalStateException("detector failed");
        }
        List<TrackerHit> hits = new ArrayList<>();
        for (MessageText message : messages) {
            for (TrackerDefinition tracker : trackers) {
                int offset = message.text().indexOf(tracker.vocabulary().get(0));
                if (offset >= 0) {
                    hits.add(new TrackerHit(message.id(), tracker.id(), tracker.name(), tracker.vocabulary().get(0),
                            offset, 1.0, offset, offset + tracker.vocabulary().get(0).length()));
                }
            }
        }
        return hits;
    }

    private DetectionBatcher start(int backlog, int maxMessages) {
        return start(backlog, maxMessages, 1);
    }

    private DetectionBatcher start(int backlog, int maxMessages, int workers) {
        return start(backlog, maxMessages, workers, Duration.ofSeconds(5));
    }

    private DetectionBatcher start(int backlog, int maxMessages, int workers, Duration shutdownDrain) {
        return start(backlog, maxMessages, workers, shutdownDrain, 1_000_000);
    }

    private DetectionBatcher start(int backlog, int maxMessages, int workers, Duration shutdownDrain, int maxWords) {
        batcher = new DetectionBatcher(recordingDetector, new StreamingProperties(Duration.ofMinutes(1), backlog,
                maxMessages, maxWords, workers, 2, DataSize.ofMegabytes(1), shutdownDrain, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 1000, Duration.ofSeconds(2), Duration.ofSeconds(10), DataSize.ofMegabytes(1), 200),
                meters);
        batcher.start();
        return batcher;
    }

    /** Occupies the (single) worker until {@link #held} is counted down, so that requests queue up behind it. */
    private CompletableFuture<List<TrackerHit>> occupyTheWorker() {
        CompletableFuture<List<TrackerHit>> slow = detectHits(PRICE, List.of(new MessageText("held", "price [hold]")));
        while (calls.isEmpty()) {
            Thread.onSpinWait();
        }
        return slow;
    }

    @Test
    void aSlowDetectorCallDoesNotHoldUpOtherStreamsWhenThereAreTwoWorkers() throws Exception {
        start(8, 1, 2);
        CompletableFuture<List<TrackerHit>> slow = detectHits(PRICE, List.of(new MessageText("a", "price [hold]")));
        CompletableFuture<List<TrackerHit>> other = detectHits(BUDGET, List.of(new MessageText("b", "budget")));
        assertThat(other.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId).containsExactly("b");
        assertThat(slow).isNotDone();
        held.countDown();
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId).containsExactly("a");
    }

    @AfterEach
    void stop() {
        held.countDown();
        if (batcher != null && batcher.isRunning()) {
            batcher.stop();
        }
    }

    /** Stops the batcher on another thread (stop waits for the drain) and returns once it refuses new sentences. */
    private CompletableFuture<Void> stopInBackground() {
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(batcher::stop);
        long deadline = System.nanoTime() + SECONDS.toNanos(WAIT_SECONDS);
        while (!detectHits(BUDGET, List.of(new MessageText("probe", "budget"))).isCompletedExceptionally()) {
            assertThat(System.nanoTime()).as("the batcher refuses new sentences once stopping").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return stopped;
    }

    @Test
    void stoppingFinishesTheSentencesAlreadyQueuedAndRefusesNewOnes() throws Exception {
        start(8, 1000);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        List<CompletableFuture<List<TrackerHit>>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(detectHits(BUDGET, List.of(new MessageText("q" + i, "budget"))));
        }
        CompletableFuture<List<TrackerHit>> twoSentences = detectHits(BUDGET, List.of(
                new MessageText("s1", "budget"), new MessageText("s2", "no match")));
        CompletableFuture<Void> stopped = stopInBackground();
        assertThat(stopped).isNotDone();
        assertThatThrownBy(() -> detectHits(BUDGET, List.of(new MessageText("late", "budget")))
                .get(WAIT_SECONDS, SECONDS)).hasRootCauseMessage("the service is shutting down");

        held.countDown();
        stopped.get(WAIT_SECONDS, SECONDS);
        assertThat(slow).isCompletedWithValueMatching(hits -> hits.size() == 1);
        for (int i = 0; i < 3; i++) {
            assertThat(queued.get(i).getNow(null)).extracting(TrackerHit::messageId).containsExactly("q" + i);
        }
        assertThat(twoSentences.getNow(null)).extracting(TrackerHit::messageId).containsExactly("s1");
        assertThat(calls).doesNotContain(List.of("late"));
    }

    @Test
    void whatIsStillQueuedWhenTheDrainRunsOutFailsAndStoppingReturns() throws Exception {
        start(8, 1000, 1, Duration.ofMillis(300));
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        CompletableFuture<List<TrackerHit>> queued = detectHits(BUDGET, List.of(new MessageText("q", "budget")));
        batcher.stop();
        // bounded by the drain wait and the callbacks' wait, not by the held detector call: stopping returned while
        // that call is still inside the detector (it used to be timed, under 3 s, which a loaded machine could miss)
        assertThat(holding).as("detector calls still held when stop returned").hasValue(1);
        assertThatThrownBy(() -> queued.get(WAIT_SECONDS, SECONDS)).hasRootCauseMessage("the service is shutting down");
        assertThat(slow).isNotDone();
        held.countDown();
        // the call that outlived the drain still ends its sentence: failed, since results can no longer be delivered
        assertThatThrownBy(() -> slow.get(WAIT_SECONDS, SECONDS)).hasRootCauseMessage("the service is shutting down");
        assertThat(calls).containsExactly(List.of("held"));
    }

    @Test
    void aStreamsLongMessageIsTakenInTurnWithOtherStreamsInsteadOfAllBeforeThem() throws Exception {
        start(1000, 1000);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        Object talkative = new Object();
        Object other = new Object();
        List<MessageText> longMessage = IntStream.range(0, 100)
                .mapToObj(i -> new MessageText("long" + i, "budget")).toList();
        CompletableFuture<List<TrackerHit>> longHits = detectHits(talkative, BUDGET, longMessage);
        CompletableFuture<List<TrackerHit>> shortHits = detectHits(other, BUDGET,
                List.of(new MessageText("short", "budget")));
        held.countDown();
        assertThat(shortHits.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId).containsExactly("short");
        assertThat(longHits.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId)
                .containsExactlyElementsOf(longMessage.stream().map(MessageText::id).toList());
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        // after the held call: the long message's first sentence, then the other stream's (it queued behind all 100
        // of them before), then the rest of the long message in its order
        List<String> detected = calls.stream().skip(1).flatMap(List::stream).toList();
        assertThat(detected.indexOf("short")).isEqualTo(1);
        assertThat(detected.stream().filter(id -> id.startsWith("long")).toList())
                .containsExactlyElementsOf(longMessage.stream().map(MessageText::id).toList());
    }

    /** A sentence of {@code count} words that hits the Budget tracker ({@code tail} appended as one more word). */
    private static String words(int count, String tail) {
        return "budget" + " word".repeat(count - 1) + (tail.isEmpty() ? "" : " " + tail);
    }

    @Test
    void aCallTakesSentencesOnlyUpToTheWordBudgetAndALongerSentenceAlone() throws Exception {
        start(1, 64, 1, Duration.ofSeconds(5), 100);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        List<MessageText> message = List.of(new MessageText("w0", words(40, "")), new MessageText("w1", words(40, "")),
                new MessageText("w2", words(40, "")), new MessageText("huge", words(150, "")),
                new MessageText("s0", words(10, "")), new MessageText("s1", words(10, "")));
        CompletableFuture<List<TrackerHit>> hits = detectHits(BUDGET, message);
        held.countDown();
        assertThat(hits.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId)
                .containsExactly("w0", "w1", "w2", "huge", "s0", "s1");
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        // 40 + 40 fit in 100 words, a third 40 does not; 150 words go alone rather than never
        assertThat(calls).containsExactly(List.of("held"), List.of("w0", "w1"), List.of("w2"), List.of("huge"),
                List.of("s0", "s1"));
    }

    @Test
    void aSentenceWeighsItsWordsAndARunOnWordOnePerEightCharacters() {
        assertThat(DetectionBatcher.words("how much does it cost?")).isEqualTo(5);
        assertThat(DetectionBatcher.words("  two\n\twords ")).isEqualTo(2);
        assertThat(DetectionBatcher.words("")).isZero();
        // a pasted key of 400 characters is one word, but as costly to read as about 50
        assertThat(DetectionBatcher.words("k".repeat(400))).isEqualTo(50);
    }

    @Test
    void shortSentencesStillFillACallUpToTheCountLimit() throws Exception {
        start(1, 8, 1, Duration.ofSeconds(5), 100);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        List<CompletableFuture<List<TrackerHit>>> results = new ArrayList<>();
        for (int stream = 0; stream < 12; stream++) {
            results.add(detectHits(BUDGET, List.of(new MessageText("m" + stream, words(5, "")))));
        }
        held.countDown();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, SECONDS);
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        assertThat(calls.stream().skip(1).map(List::size).toList()).containsExactly(8, 4);
    }

    @Test
    void anotherStreamsShortSentenceWaitsForAtMostOneBudgetOfALongMessagesSentences() throws Exception {
        start(1, 64, 1, Duration.ofSeconds(5), 100);
        Object talkative = new Object();
        Object other = new Object();
        // 20 sentences of 60 words; the first call holds until the other stream's sentence has arrived, as the call
        // under way when a live stream sends its next sentence
        List<MessageText> longMessage = IntStream.range(0, 20)
                .mapToObj(i -> new MessageText("long" + i, words(60, i == 0 ? "[hold]" : ""))).toList();
        CompletableFuture<List<TrackerHit>> longHits = detectHits(talkative, BUDGET, longMessage);
        while (calls.isEmpty()) {
            Thread.onSpinWait();
        }
        CompletableFuture<List<TrackerHit>> shortHits = detectHits(other, BUDGET,
                List.of(new MessageText("short", "how much does the budget cost")));
        held.countDown();
        assertThat(shortHits.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId).containsExactly("short");
        assertThat(longHits.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId)
                .containsExactlyElementsOf(longMessage.stream().map(MessageText::id).toList());
        int callOfShort = IntStream.range(0, calls.size()).filter(i -> calls.get(i).contains("short")).findFirst()
                .orElseThrow();
        // the call under way held one long sentence (two would be 122 words), the short one's call one more beside it
        assertThat(calls.subList(0, callOfShort + 1)).containsExactly(List.of("long0"), List.of("long1", "short"));
        assertThat(calls.stream().flatMap(List::stream).filter(id -> id.startsWith("long")).toList())
                .containsExactlyElementsOf(longMessage.stream().map(MessageText::id).toList());
    }

    @Test
    void underBacklogWaitingMessagesOfManyStreamsShareOneDetectorCall() throws Exception {
        start(8, 1000);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        List<CompletableFuture<TrackerDetector.HitsAndVectors>> results = new ArrayList<>();
        for (int stream = 0; stream < 20; stream++) {
            String text = stream % 2 == 0 ? "no budget left" : "nothing relevant";
            results.add(batcher.detect(stream, BUDGET, List.of(new MessageText("m" + stream, text))));
        }
        held.countDown();
        for (int stream = 0; stream < 20; stream++) {
            TrackerDetector.HitsAndVectors detected = results.get(stream).get(WAIT_SECONDS, SECONDS);
            // Each stream gets exactly its own hits back, and its own sentence's vector.
            assertThat(detected.hits()).extracting(TrackerHit::messageId)
                    .containsExactlyElementsOf(stream % 2 == 0 ? List.of("m" + stream) : List.of());
            assertThat(detected.ownVectors()).hasDimensions(1, 1);
            assertThat(detected.ownVectors()[0][0]).isEqualTo((float) ("m" + stream).hashCode());
        }
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1)).hasSize(20);
        assertThat(meters.get("trackers.streaming.batch.messages").summary().max()).isEqualTo(20);
    }

    @Test
    void aBacklogIsSharedBetweenTheWorkersInsteadOfOneTakingItAll() throws Exception {
        start(8, 1000, 2);
        CompletableFuture<List<TrackerHit>> first = detectHits(PRICE, List.of(new MessageText("h1", "price [hold]")));
        CompletableFuture<List<TrackerHit>> second = detectHits(PRICE, List.of(new MessageText("h2", "price [hold]")));
        while (calls.size() < 2) {
            Thread.onSpinWait();
        }
        List<CompletableFuture<List<TrackerHit>>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(detectHits(BUDGET, List.of(new MessageText("m" + i, "budget"))));
        }
        held.countDown();
        for (int i = 0; i < 8; i++) {
            assertThat(results.get(i).get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId)
                    .containsExactly("m" + i);
        }
        assertThat(first.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        assertThat(second.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        // 8 waiting, 2 workers: the worker that finds the backlog takes at most its half, the other the rest
        assertThat(calls).allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(4));
        assertThat(calls.stream().mapToInt(List::size).sum()).isEqualTo(10);
    }

    @Test
    void belowTheBacklogEachRequestGetsItsOwnCallSoNoneWaitsForTheOthers() throws Exception {
        start(8, 1000);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        List<CompletableFuture<List<TrackerHit>>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(detectHits(BUDGET, List.of(new MessageText("m" + i, "budget"))));
        }
        held.countDown();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, SECONDS);
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        assertThat(calls).containsExactly(List.of("held"), List.of("m0"), List.of("m1"), List.of("m2"));
    }

    @Test
    void aBatchHoldsAtMostTheMaximumNumberOfMessages() throws Exception {
        start(2, 4);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        List<CompletableFuture<List<TrackerHit>>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(detectHits(BUDGET, List.of(new MessageText("m" + i, "budget"))));
        }
        held.countDown();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, SECONDS);
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        assertThat(calls).containsExactly(List.of("held"), List.of("m0", "m1", "m2", "m3"), List.of("m4", "m5"));
    }

    /**
     * Streams of one account with equal sets share a call; another account's stream never does, even with the same
     * trackers: the detector keeps what it computes for an account to that account (docs/security.md).
     */
    @Test
    void differentTrackerSetsAreDetectedSeparatelyAndEqualSetsOfOneAccountTogether() throws Exception {
        start(2, 1000);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        TrackerSet budgetAgain = new TrackerSet(ACCOUNT, List.copyOf(BUDGET.trackers()));
        TrackerSet budgetOfAnotherAccount = new TrackerSet(new AccountId(UUID.randomUUID()), BUDGET.trackers());
        CompletableFuture<List<TrackerHit>> a = detectHits(BUDGET, List.of(new MessageText("a", "budget price")));
        CompletableFuture<List<TrackerHit>> b = detectHits(PRICE, List.of(new MessageText("b", "budget price")));
        CompletableFuture<List<TrackerHit>> c = detectHits(budgetAgain, List.of(new MessageText("c", "budget")));
        CompletableFuture<List<TrackerHit>> d = detectHits(budgetOfAnotherAccount,
                List.of(new MessageText("d", "budget")));
        held.countDown();
        assertThat(a.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::trackerId).containsExactly("t1");
        assertThat(b.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::trackerId).containsExactly("t2");
        assertThat(c.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::trackerId).containsExactly("t1");
        assertThat(d.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::trackerId).containsExactly("t1");
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        assertThat(calls).containsExactlyInAnyOrder(List.of("held"), List.of("a", "c"), List.of("b"), List.of("d"));
    }

    @Test
    void aRequestThatMakesTheDetectorFailFailsAloneAndTheBatcherKeepsWorking() throws Exception {
        start(2, 1000);
        CompletableFuture<List<TrackerHit>> slow = occupyTheWorker();
        CompletableFuture<List<TrackerHit>> bad = detectHits(BUDGET, List.of(new MessageText("x", "[fail]")));
        CompletableFuture<List<TrackerHit>> neighbour = detectHits(BUDGET, List.of(new MessageText("y", "budget")));
        held.countDown();
        assertThatThrownBy(() -> bad.get(WAIT_SECONDS, SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("detector failed");
        assertThat(neighbour.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId).containsExactly("y");
        assertThat(slow.get(WAIT_SECONDS, SECONDS)).hasSize(1);
        assertThat(calls).containsExactly(List.of("held"), List.of("x", "y"), List.of("x"), List.of("y"));
        assertThat(detectHits(BUDGET, List.of(new MessageText("z", "budget"))).get(WAIT_SECONDS, SECONDS))
                .hasSize(1);
    }

    @Test
    void theSentencesOfOneMessageAreDetectedByIdleWorkersInParallelAndComeBackInOrder() throws Exception {
        start(8, 1000, 2);
        CompletableFuture<List<TrackerHit>> result = detectHits(PRICE, List.of(
                new MessageText("s1", "the price [hold]"), new MessageText("s2", "no price [hold]"),
                new MessageText("s3", "nothing")));
        // both workers are inside a detector call at once, each with one of the held sentences
        long deadline = System.nanoTime() + SECONDS.toNanos(WAIT_SECONDS);
        while (calls.size() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(calls).containsExactlyInAnyOrder(List.of("s1"), List.of("s2"));
        assertThat(result).isNotDone();
        held.countDown();
        assertThat(result.get(WAIT_SECONDS, SECONDS)).extracting(TrackerHit::messageId).containsExactly("s1", "s2");
        assertThat(calls).hasSize(3);
    }

    @Test
    void aMessageFailsAsAWholeWhenDetectionFailsForOneOfItsSentences() throws Exception {
        start(8, 1000, 2);
        CompletableFuture<List<TrackerHit>> result = detectHits(BUDGET, List.of(
                new MessageText("s1", "budget"), new MessageText("s2", "[fail]")));
        assertThatThrownBy(() -> result.get(WAIT_SECONDS, SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("detector failed");
        assertThat(detectHits(BUDGET, List.of(new MessageText("s3", "budget"))).get(WAIT_SECONDS, SECONDS))
                .extracting(TrackerHit::messageId).containsExactly("s3");
    }
}
