package io.opentrackers.conversation;

import java.util.List;

/**
 * One page of a conversation's messages ({@code GET /v1/conversations/{id}/messages}).
 *
 * @param messages the messages of the page, in conversation order
 * @param next     the sequence number to pass as {@code after} for the next page; null on the last page
 */
public record MessagePage(List<StoredMessage> messages, Integer next) {
}
