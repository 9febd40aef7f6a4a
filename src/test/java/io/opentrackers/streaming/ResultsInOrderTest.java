package io.opentrackers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResultsInOrderTest {

    /**
     * A client replaying a long call as fast as it can: thousands of results wait for the first, slow one. Chained
     * futures nested a few stack frames per waiting result and overflowed the stack at a few thousand, leaving the
     * stream stalled.
     */
    @Test
    void tenThousandResultsWaitingForTheFirstAreAllSentInOrderOnceItIsReady() {
        ResultsInOrder results = new ResultsInOrder();
        int count = 10_000;
        List<ResultsInOrder.Place> places = IntStream.range(0, count).mapToObj(i -> results.takePlace()).toList();
        List<Integer> sent = new ArrayList<>();
        for (int i = count - 1; i >= 1; i--) {
            int request = i;
            results.ready(places.get(i), () -> sent.add(request));
        }
        assertThat(sent).isEmpty();

        results.ready(places.get(0), () -> sent.add(0));

        assertThat(sent).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    @Test
    void resultsReadyOnManyThreadsInAnyOrderAreSentInTheOrderTheirPlacesWereTaken() throws Exception {
        ResultsInOrder results = new ResultsInOrder();
        int count = 2_000;
        List<ResultsInOrder.Place> places = IntStream.range(0, count).mapToObj(i -> results.takePlace()).toList();
        List<Integer> readyOrder = new ArrayList<>(IntStream.range(0, count).boxed().toList());
        Collections.shuffle(readyOrder, new java.util.Random(7));
        List<Integer> sent = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int request : readyOrder) {
                threads.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    results.ready(places.get(request), () -> sent.add(request));
                });
            }
            start.countDown();
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(sent).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    @Test
    void aResultThatFailsToSendDoesNotHoldBackTheOnesAfterIt() {
        ResultsInOrder results = new ResultsInOrder();
        ResultsInOrder.Place first = results.takePlace();
        ResultsInOrder.Place second = results.takePlace();
        ResultsInOrder.Place third = results.takePlace();
        List<String> sent = new ArrayList<>();
        results.ready(third, () -> sent.add("third"));
        results.ready(second, () -> {
            throw new IllegalStateException("the socket is gone");
        });

        results.ready(first, () -> sent.add("first"));

        assertThat(sent).containsExactly("first", "third");
        ResultsInOrder.Place later = results.takePlace();
        results.ready(later, () -> sent.add("later"));
        assertThat(sent).containsExactly("first", "third", "later");
    }
}
