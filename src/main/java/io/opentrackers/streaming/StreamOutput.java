package io.opentrackers.streaming;

import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import java.util.List;

/**
 * Where a stream's results go. The WebSocket adapter turns each call into the frame api.md names; the stream
 * use case ({@link StreamService}) knows nothing of sockets or frames. Calls may come from several threads.
 */
interface StreamOutput {

    /**
     * The stream is listening; its messages are stored in {@code conversationId}. {@code warnings} say what limits its
     * results from the start (empty when nothing does).
     */
    void started(String conversationId, List<String> warnings);

    /** Final messages were stored, with the ids their hits will refer to. */
    void stored(List<StoredMessage> messages);

    /** Hits of one message request, final or interim. */
    void hits(boolean isFinal, List<TrackerResult> trackers);

    /** Something went wrong that the client should know of; the stream goes on. */
    void failed(String details);

    /** Every result of the stream has been delivered and stored. */
    void completed(String conversationId);
}
