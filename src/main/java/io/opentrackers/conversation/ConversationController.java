package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The Conversation API (api.md "Results"): a conversation, its messages and the trackers found in it. */
@RestController
@RequestMapping("/v1/conversations/{conversationId}")
class ConversationController {

    private final ConversationService conversations;

    ConversationController(ConversationService conversations) {
        this.conversations = conversations;
    }

    /**
     * Most messages in one answer, and the default page: a 10,000-message conversation was one 1.5 MB answer
     * (issue 20); 1,000 messages of ordinary sentences are about 150 KB.
     */
    static final int MAX_PAGE = 1000;

    /**
     * Symbl's {@code {"messages":[…]}}, plus {@code next} (left out on the last page): pass it as {@code after} to
     * get the following page.
     */
    record MessagesResponse(List<StoredMessage> messages, Integer next) {
    }

    @GetMapping
    Conversation conversation(AccountId account, @PathVariable String conversationId) {
        return conversations.get(account, conversationId);
    }

    /** Without parameters the first page, so that a Symbl client reading {@code messages} sees the start. */
    @GetMapping("/messages")
    MessagesResponse messages(AccountId account, @PathVariable String conversationId,
            @RequestParam(defaultValue = "" + MAX_PAGE) int limit, @RequestParam(defaultValue = "0") int after) {
        List<FieldViolation> violations = new ArrayList<>();
        if (limit < 1 || limit > MAX_PAGE) {
            violations.add(FieldViolation.of("limit", "must be between 1 and " + MAX_PAGE + ", was " + limit));
        }
        if (after < 0) {
            violations.add(FieldViolation.of("after", "must be a message sequence number (0 or more), was " + after));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        MessagePage page = conversations.messagePage(account, conversationId, after, limit);
        return new MessagesResponse(page.messages(), page.next());
    }

    /** Both paths of the old documentation answer the same array. */
    @GetMapping({"/trackers", "/trackers-detected"})
    List<TrackerResult> trackers(AccountId account, @PathVariable String conversationId) {
        return conversations.trackers(account, conversationId);
    }
}
