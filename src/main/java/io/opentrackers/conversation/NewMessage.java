package io.opentrackers.conversation;

import java.time.Instant;

/**
 * A message as a client sent it, before it is split into sentences and stored.
 *
 * @param from      who spoke, or null
 * @param startTime when the message started, or null; with {@code endTime} it is spread over the sentences
 * @param clientId  an id the client gave the message (e.g. a streaming message id), or null
 */
public record NewMessage(String text, Speaker from, Instant startTime, Instant endTime, String clientId) {

    public NewMessage(String text, Speaker from, Instant startTime, Instant endTime) {
        this(text, from, startTime, endTime, null);
    }
}
