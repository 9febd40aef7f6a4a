package io.opentrackers.conversation;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A conversation as {@code GET /v1/conversations} lists it.
 *
 * @param source       {@code async} or {@code streaming}
 * @param startTime    when the conversation happened, as analytics counts it: its first message's start time, or
 *                     {@code createdOn} when that message carries none (or there is no message yet)
 * @param messageCount sentence-level messages stored
 * @param hitCount     hits stored, one per (message, tracker), as analytics counts them
 * @param jobStatus    the status of its async jobs taken together ({@link ConversationJobs#statuses}); absent for
 *                     streamed conversations
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConversationSummary(@Schema(requiredMode = REQUIRED) String id, String name,
                                  @Schema(requiredMode = REQUIRED) String source,
                                  @Schema(requiredMode = REQUIRED) Instant startTime,
                                  @Schema(requiredMode = REQUIRED) Instant createdOn,
                                  @Schema(requiredMode = REQUIRED) int messageCount,
                                  @Schema(requiredMode = REQUIRED) int hitCount, String jobStatus) {

    ConversationSummary withJobStatus(String status) {
        return new ConversationSummary(id, name, source, startTime, createdOn, messageCount, hitCount, status);
    }
}
