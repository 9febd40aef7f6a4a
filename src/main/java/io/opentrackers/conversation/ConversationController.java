package io.opentrackers.conversation;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.opentrackers.account.AccountId;
import io.opentrackers.matching.TrackerResultsView;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The Conversation API (api.md "Results"): a conversation, its messages and the trackers found in it. */
@RestController
@RequestMapping(path = "/v1/conversations/{conversationId}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Conversations", description = "Conversation API: stored conversations, their messages and hits")
class ConversationController {

    private final ConversationService conversations;
    private final JsonMapper json;

    ConversationController(ConversationService conversations, JsonMapper json) {
        this.conversations = conversations;
        this.json = json;
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
    @Schema(name = "MessagesResponse")
    record MessagesResponse(@Schema(requiredMode = REQUIRED) List<StoredMessage> messages, Integer next) {
    }

    @GetMapping
    @Operation(operationId = "getConversation", summary = "A conversation: its source, times and number of messages")
    @ApiResponse(responseCode = "200", description = "The conversation", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "conversation", value = """
                    {"id": "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13", "type": "meeting", "name": "Call with Ann",
                     "source": "async", "startTime": "2026-03-01T10:00:00Z", "endTime": "2026-03-01T10:00:09Z",
                     "messageCount": 2, "createdOn": "2026-03-01T10:05:12.331Z", "updatedOn": "2026-03-01T10:05:12.331Z"}""")))
    Conversation conversation(AccountId account,
            @Parameter(description = "From POST /v1/process/text or a stream's recognition_started",
                    example = "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13") @PathVariable String conversationId) {
        return conversations.get(account, conversationId);
    }

    /** What {@code DELETE} answers: which conversation is gone, in the shape of the Management API's delete. */
    @Schema(name = "DeletedConversation")
    record Deleted(@Schema(requiredMode = REQUIRED) String id,
            @Schema(example = "conversation", requiredMode = REQUIRED) String type,
            @Schema(requiredMode = REQUIRED) boolean deleted) {
    }

    /**
     * Symbl's {@code DELETE /v1/conversations/{conversationId}}. Deleting is never refused for work in progress: the
     * caller asked for the data to be gone, and a queued or running job is stopped rather than waited for (it may be
     * what holds the account at its limit of active jobs). Like every answer of this controller it is declared JSON,
     * so an {@code Accept} without JSON is refused (406) before anything is deleted, not after.
     */
    @DeleteMapping
    @Operation(operationId = "deleteConversation", summary = "Delete a conversation with everything stored from it",
            description = "Deletes the conversation, its messages, its tracker hits, the vectors suggestions keep of "
                    + "its sentences, its share of `/v1/analytics/trackers`, and its jobs: a job still queued or "
                    + "running is stopped (nothing more is stored, no further webhook is sent, and `GET "
                    + "/v1/job/{jobId}` answers 404 like for any unknown job). A live stream writing to it stores "
                    + "nothing more and says so in an `error` message. Examples labelled from its sentences stay: "
                    + "they are copies of the text. One transaction: all of it goes, or nothing.")
    @ApiResponse(responseCode = "200", description = "Deleted", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "deleted", value = """
                    {"id": "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13", "type": "conversation", "deleted": true}""")))
    Deleted delete(AccountId account,
            @Parameter(description = "From POST /v1/process/text or a stream's recognition_started",
                    example = "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13") @PathVariable String conversationId) {
        conversations.delete(account, conversationId);
        return new Deleted(conversationId, "conversation", true);
    }

    /** Without parameters the first page, so that a Symbl client reading {@code messages} sees the start. */
    @GetMapping("/messages")
    @Operation(operationId = "getConversationMessages",
            summary = "The conversation's sentence-level messages, in order")
    @ApiResponse(responseCode = "200", description = "One message per sentence; tracker hits refer to these ids",
            useReturnTypeSchema = true, content = @Content(examples = @ExampleObject(name = "messages", value = """
                    {"messages": [
                      {"id": "e1b7c3d9-2f4a-4b6e-8c0d-1a3f5e7b9d21", "text": "Hello.",
                       "from": {"userId": "ann@example.com", "name": "Ann"},
                       "startTime": "2026-03-01T10:00:00Z", "endTime": "2026-03-01T10:00:01.800Z",
                       "sequence": 1, "sourceIndex": 0, "charStart": 0, "charEnd": 6},
                      {"id": "7c9e2a4b-6d8f-4e1a-b3c5-9f0d2e4a6b18", "text": "How much does it cost?",
                       "from": {"userId": "ann@example.com", "name": "Ann"},
                       "startTime": "2026-03-01T10:00:01.800Z", "endTime": "2026-03-01T10:00:09Z",
                       "sequence": 2, "sourceIndex": 0, "charStart": 7, "charEnd": 29}]}""")))
    MessagesResponse messages(AccountId account,
            @Parameter(description = "From POST /v1/process/text or a stream's recognition_started",
                    example = "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13") @PathVariable String conversationId,
            @Parameter(description = "Most messages in this page (1-" + MAX_PAGE + ")", example = "100")
            @RequestParam(defaultValue = "" + MAX_PAGE) int limit,
            @Parameter(description = "Sequence number after which the page starts: the previous page's next",
                    example = "100")
            @RequestParam(defaultValue = "0") int after) {
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
    @Operation(operationId = "getConversationTrackers",
            summary = "The trackers found in the conversation, with the phrases and messages that matched")
    @ApiResponse(responseCode = "200", description = "One item per tracker with at least one hit; `offset` is -1 "
            + "when the match is by meaning rather than the literal phrase",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = TrackerResult.class)),
                    examples = @ExampleObject(name = "trackers", value = """
                    [{"id": "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e", "name": "Pricing",
                      "matches": [{"type": "vocabulary", "value": "what is the price",
                                   "messageRefs": [{"id": "7c9e2a4b-6d8f-4e1a-b3c5-9f0d2e4a6b18",
                                                    "text": "How much does it cost?", "offset": -1, "score": 0.8731,
                                                    "start": 0, "end": 22,
                                                    "from": {"userId": "ann@example.com", "name": "Ann"}}],
                                   "insightRefs": []}]}]""")))
    void trackers(AccountId account,
            @Parameter(description = "From POST /v1/process/text or a stream's recognition_started",
                    example = "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13") @PathVariable String conversationId,
            HttpServletResponse response) throws IOException {
        try {
            // written as it is read: the whole array of a long conversation is tens of megabytes
            conversations.writeTrackers(account, conversationId, () -> {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                try {
                    return new TrackerResultsView.Writer(json.createGenerator(response.getOutputStream()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (RuntimeException e) {
            if (!response.isCommitted()) {
                response.resetBuffer(); // the problem replaces what was written; once sent, nothing can
            }
            throw e;
        }
    }
}
