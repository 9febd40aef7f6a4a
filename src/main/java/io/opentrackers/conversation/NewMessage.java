package io.opentrackers.conversation;

import java.time.Instant;

/**
 * A message as a client sent it, before it is split into sentences and stored.
 *
 * @param from      who spoke, or null
 * @param startTime when the message started, or null; with {@code endTime} it is spread over the sentences
 */
public record NewMessage(String text, Speaker from, Instant startTime, Instant endTime) {
}
