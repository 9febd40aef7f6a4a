package io.opentrackers.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One sentence-level message of a conversation, as {@code GET /v1/conversations/{id}/messages} shows it.
 *
 * @param id          server-assigned id; tracker hits refer to it
 * @param sequence    1-based position in the conversation
 * @param sourceIndex index of the submitted message (within its request) this sentence was cut from
 * @param charStart   where the sentence starts in that submitted content (inclusive)
 * @param charEnd     where it ends (exclusive)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredMessage(String id, String text, Speaker from, Instant startTime, Instant endTime,
                            int sequence, int sourceIndex, int charStart, int charEnd) {
}
