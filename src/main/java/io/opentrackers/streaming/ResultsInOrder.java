package io.opentrackers.streaming;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a stream's results in the order its requests came, although their detection finishes in any order.
 *
 * <p>A request takes a {@link Place} when it is read; once its detection is done, {@link #ready} hands over what
 * sending its results means. Whichever thread finds the first place in line ready sends it and every ready place
 * after it, one after another, in a loop; a thread whose place is not first returns at once (its results go out
 * with the place before it). A loop rather than chained futures: with each result completing the next one's
 * trigger, a line of thousands of results waiting behind one slow detection (a client replaying a long call as fast
 * as it can) nested a few stack frames per result and overflowed the stack, which left the stream waiting for ever.
 */
final class ResultsInOrder {

    private static final Logger log = LoggerFactory.getLogger(ResultsInOrder.class);

    /** One request's place in line; {@code send} is set once its detection is done. */
    static final class Place {
        private Runnable send;
    }

    private final Deque<Place> line = new ArrayDeque<>();
    private boolean sending;

    /** A place after every place taken before; taken on the thread reading the connection's frames. */
    synchronized Place takePlace() {
        Place place = new Place();
        line.addLast(place);
        return place;
    }

    /**
     * Marks {@code place} ready with what sends its results, then sends every ready result at the head of the line,
     * on this thread, unless another thread is doing that already (it will reach this one). Every place must be made
     * ready exactly once, also when its detection failed, or every later result of the stream waits for ever.
     */
    void ready(Place place, Runnable send) {
        synchronized (this) {
            place.send = send;
            if (sending) {
                return;
            }
            sending = true;
        }
        try {
            sendReadyResults();
        } catch (Error e) {
            synchronized (this) {
                sending = false;
            }
            throw e;
        }
    }

    private void sendReadyResults() {
        while (true) {
            Runnable next;
            synchronized (this) {
                Place head = line.peekFirst();
                if (head == null || head.send == null) {
                    sending = false;
                    return;
                }
                line.removeFirst();
                next = head.send;
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // one result that could not be sent must not hold back the results after it
                log.error("Sending a streaming result failed", e);
            }
        }
    }
}
