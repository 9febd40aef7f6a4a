package io.opentrackers.conversation;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.opentrackers.matching.MessageContext;
import io.opentrackers.matching.MessageText;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * One sentence-level message of a conversation, as {@code GET /v1/conversations/{id}/messages} shows it.
 *
 * @param id          server-assigned id; tracker hits refer to it
 * @param sequence    1-based position in the conversation
 * @param sourceIndex index of the submitted message (within its request) this sentence was cut from
 * @param charStart   where the sentence starts in that submitted content (inclusive)
 * @param charEnd     where it ends (exclusive)
 * @param turn        0-based position in the conversation of the message the client sent (its sentences share it);
 *                    -1 before it is stored. Internal: tracker windows count these.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredMessage(@Schema(requiredMode = REQUIRED) String id, @Schema(requiredMode = REQUIRED) String text,
                            Speaker from, Instant startTime, Instant endTime,
                            @Schema(requiredMode = REQUIRED) int sequence,
                            @Schema(requiredMode = REQUIRED) int sourceIndex,
                            @Schema(requiredMode = REQUIRED) int charStart,
                            @Schema(requiredMode = REQUIRED) int charEnd,
                            @JsonIgnore int turn) {

    public StoredMessage(String id, String text, Speaker from, Instant startTime, Instant endTime, int sequence,
            int sourceIndex, int charStart, int charEnd) {
        this(id, text, from, startTime, endTime, sequence, sourceIndex, charStart, charEnd, -1);
    }

    /**
     * This sentence as the matcher takes it, in its conversation's context ({@code contexts}: one per message of the
     * conversation, by {@code turn}); a sentence stored without a position only has its speaker's role.
     */
    public MessageText toMatch(List<MessageContext> contexts) {
        return toMatch(contexts, null);
    }

    /**
     * Like {@link #toMatch(List)}, with the whole message the sentence was cut from ({@code source}, null when
     * unknown), which the matcher reads the sentence in (docs/matching.md, "The message as context").
     */
    public MessageText toMatch(List<MessageContext> contexts, String source) {
        MessageContext context = turn >= 0 && turn < contexts.size() ? contexts.get(turn)
                : new MessageContext(role(), -1, -1, null, null);
        return new MessageText(id, text, context, source);
    }

    /**
     * The message the client sent, rebuilt from its sentences in order: a space where white space separated two
     * sentences. It differs from the content as sent only in white space, which the matcher does not read.
     */
    static String joined(List<StoredMessage> sentences) {
        StringBuilder whole = new StringBuilder();
        StoredMessage previous = null;
        for (StoredMessage sentence : sentences) {
            if (previous != null && sentence.charStart() > previous.charEnd()) {
                whole.append(' ');
            }
            whole.append(sentence.text());
            previous = sentence;
        }
        return whole.toString();
    }

    /** The speaker's role ({@code agent}, {@code customer}) or null. */
    @JsonIgnore
    public String role() {
        return from == null ? null : from.role();
    }
}
