package io.opentrackers.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A conversation as {@code GET /v1/conversations/{id}} shows it.
 *
 * @param source       {@code async} (submitted through the Async API) or {@code streaming}
 * @param startTime    the earliest message start time, if messages carried times
 * @param endTime      the latest message end time, if messages carried times
 * @param messageCount number of sentence-level messages stored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Conversation(String id, String type, String name, String source, Instant startTime, Instant endTime,
                           int messageCount, Instant createdOn, Instant updatedOn) {

    public static final String SOURCE_ASYNC = "async";
    public static final String SOURCE_STREAMING = "streaming";
}
