package io.opentrackers.matching;

/**
 * Where a message stands in its conversation, for the conditions of {@link TrackerConditions}. One rule builds it
 * for every entry point: {@link ConversationTimeline}.
 *
 * @param role       {@code "agent"}, {@code "customer"}, or null when the client gave none (then only trackers for
 *                   any speaker can fire)
 * @param index      0-based position of the message among the conversation's messages as the client sent them (the
 *                   sentences of one message share it), or -1 when unknown
 * @param count      how many messages the whole conversation has, or -1 while it is not over (end windows wait)
 * @param sinceStart seconds from the conversation's start (its first timed message's start, see
 *                   {@link ConversationTimeline}) to this message's start (negative before it), or null without times
 * @param untilEnd   seconds from this message's end to the conversation's last end, or null without times or while
 *                   the conversation is not over
 */
public record MessageContext(String role, int index, int count, Double sinceStart, Double untilEnd) {

    /** Nothing known: only trackers without speaker or window conditions can fire. */
    public static final MessageContext NONE = new MessageContext(null, -1, -1, null, null);
}
