package io.opentrackers.matching;

import java.util.List;

/**
 * Messages split into spans with one vector per span; kept separate from the decision step so the evaluation
 * command can try several policies on one embedding pass.
 *
 * @param spans       per message, its spans
 * @param firstSpan   per message, index of its first span in {@code vectors}
 * @param vectors     one unit vector per span, all messages concatenated
 */
public record EmbeddedMessages(List<MessageText> messages, List<List<Span>> spans, int[] firstSpan,
                               float[][] vectors) {
}
