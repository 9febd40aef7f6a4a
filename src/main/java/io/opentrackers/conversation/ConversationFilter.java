package io.opentrackers.conversation;

import java.time.Instant;

/**
 * Which conversations {@code GET /v1/conversations} lists and counts: those in which a tracker hit, those started in a
 * range, those a search finds, or any of them together. The start is the one analytics counts a conversation on ({@link ConversationSummary#startTime()}), so the
 * {@code from}, {@code to} and tracker of an analytics answer list exactly the conversations it counted.
 *
 * @param trackerId only conversations with at least one hit of this tracker, or null
 * @param from      only conversations started at or after this instant, or null
 * @param to        only conversations started before this instant, or null
 * @param query     only conversations whose name holds this text (ignoring case), or whose id starts with it, or null
 */
public record ConversationFilter(String trackerId, Instant from, Instant to, String query) {

    public static final ConversationFilter NONE = new ConversationFilter(null, null, null, null);
}
