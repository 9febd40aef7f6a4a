package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import java.time.Instant;
import java.util.List;

/**
 * A conversation is being deleted ({@code DELETE /v1/conversations/{id}}): published synchronously inside the deleting
 * transaction, after its row is locked (no hit can be stored in it any more) and before its rows go, so that what
 * listeners derived from its hits (analytics rollups) is taken back in the same commit. Listeners that act on other
 * state (a live stream writing to it) listen after the commit.
 *
 * @param conversationStart the conversation's start, as {@link HitsStored} gave it (the day its hits were counted on)
 * @param hits              every hit stored in it, flagged as they were counted: exactly one hit per (message,
 *                          tracker) is {@code firstOfMessage}, one per tracker {@code firstOfConversation}
 */
public record ConversationDeleted(AccountId account, String conversationId, Instant conversationStart,
                                  List<HitsStored.Hit> hits) {
}
