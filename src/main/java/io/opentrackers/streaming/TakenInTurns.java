package io.opentrackers.streaming;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Items queued per source and taken one source at a time, in turn: the sentences waiting for detection, per stream.
 * With one queue in arrival order, a stream that sent a message of 950 sentences held both workers and another
 * stream's next result waited 14.5 s behind it; taken in turns, the other stream's sentence is the next but one.
 * Each source's own items keep their order.
 *
 * @param <T> what is queued
 */
final class TakenInTurns<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    /** Each source with items waiting, and its items in the order they were added. */
    private final Map<Object, ArrayDeque<T>> waiting = new HashMap<>();
    /** The sources with items waiting, the next to be taken from first. */
    private final ArrayDeque<Object> turns = new ArrayDeque<>();
    private int size;

    /** Adds {@code items} of {@code source} after its earlier ones, all at once. */
    void addAll(Object source, List<T> items) {
        if (items.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            ArrayDeque<T> queued = waiting.get(source);
            if (queued == null) {
                queued = new ArrayDeque<>();
                waiting.put(source, queued);
                turns.add(source);
            }
            queued.addAll(items);
            size += items.size();
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next item of the source whose turn it is, or null if nothing waits. */
    T poll() {
        lock.lock();
        try {
            return next();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next item of the source whose turn it is if it {@code fits}, or null (nothing waits, or that item does not
     * fit: it stays first, and its source keeps its turn).
     */
    T pollIf(Predicate<? super T> fits) {
        lock.lock();
        try {
            Object source = turns.peek();
            return source != null && fits.test(waiting.get(source).peek()) ? next() : null;
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #poll()}, waiting up to {@code timeout} for an item. */
    T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (size == 0) {
                if (left <= 0) {
                    return null;
                }
                left = added.awaitNanos(left);
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code item} out if it is still waiting; whether it was. */
    boolean remove(T item) {
        lock.lock();
        try {
            for (Map.Entry<Object, ArrayDeque<T>> source : waiting.entrySet()) {
                if (source.getValue().remove(item)) {
                    size--;
                    if (source.getValue().isEmpty()) {
                        turns.remove(source.getKey());
                        waiting.remove(source.getKey());
                    }
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    private T next() {
        Object source = turns.poll();
        if (source == null) {
            return null;
        }
        ArrayDeque<T> queued = waiting.get(source);
        T item = queued.poll();
        size--;
        if (queued.isEmpty()) {
            waiting.remove(source);
        } else {
            turns.add(source); // its next item after one of every other source's
        }
        return item;
    }
}
