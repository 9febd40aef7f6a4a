package io.opentrackers.conversation;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A conversation as {@code GET /v1/conversations/{id}} shows it.
 *
 * @param source       {@code async} (submitted through the Async API) or {@code streaming}
 * @param startTime    when the conversation started, as the list of conversations, its {@code from}/{@code to} range
 *                     and analytics have it: its first message's start time, else its creation
 * @param endTime      the latest message end time, if messages carried times
 * @param messageCount number of sentence-level messages stored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Conversation(@Schema(requiredMode = REQUIRED) String id,
                           @Schema(requiredMode = REQUIRED) String type, String name,
                           @Schema(requiredMode = REQUIRED) String source,
                           @Schema(requiredMode = REQUIRED) Instant startTime, Instant endTime,
                           @Schema(requiredMode = REQUIRED) int messageCount,
                           @Schema(requiredMode = REQUIRED) Instant createdOn,
                           @Schema(requiredMode = REQUIRED) Instant updatedOn) {

    public static final String SOURCE_ASYNC = "async";
    public static final String SOURCE_STREAMING = "streaming";
}
