package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Conversation API (api.md "Results"): a conversation, its messages and the trackers found in it. */
@RestController
@RequestMapping("/v1/conversations/{conversationId}")
class ConversationController {

    private final ConversationService conversations;

    ConversationController(ConversationService conversations) {
        this.conversations = conversations;
    }

    record MessagesResponse(List<StoredMessage> messages) {
    }

    @GetMapping
    Conversation conversation(AccountId account, @PathVariable String conversationId) {
        return conversations.get(account, conversationId);
    }

    @GetMapping("/messages")
    MessagesResponse messages(AccountId account, @PathVariable String conversationId) {
        return new MessagesResponse(conversations.messages(account, conversationId));
    }

    /** Both paths of the old documentation answer the same array. */
    @GetMapping({"/trackers", "/trackers-detected"})
    List<TrackerResult> trackers(AccountId account, @PathVariable String conversationId) {
        return conversations.trackers(account, conversationId);
    }
}
