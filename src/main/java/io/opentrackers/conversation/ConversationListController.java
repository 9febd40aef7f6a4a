package io.opentrackers.conversation;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InstantParameter;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.StorableText;
import io.opentrackers.tracker.TrackerCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/conversations}: what a client or a UI browses, and what analytics counts. */
@RestController
@Tag(name = "Conversations", description = "Conversation API: stored conversations, their messages and hits")
class ConversationListController {

    /** The default page: a screenful of a UI's list. */
    static final int DEFAULT_PAGE = 50;
    /** The largest page: each item counts its hits, so a page costs in proportion to its size. */
    static final int MAX_PAGE = 200;
    /** The longest search: a conversation's name is at most this long, so a longer text finds nothing. */
    static final int MAX_QUERY = 256;

    private final ConversationService conversations;
    private final TrackerCatalog trackers;

    ConversationListController(ConversationService conversations, TrackerCatalog trackers) {
        this.conversations = conversations;
        this.trackers = trackers;
    }

    /**
     * {@code next} (left out on the last page) is the {@code after} of the following page ({@link ListPosition});
     * {@code total} (only with {@code include=total}) how many conversations the filter lets through, on every page.
     */
    @Schema(name = "ConversationsResponse")
    record ConversationsResponse(@Schema(requiredMode = REQUIRED) List<ConversationSummary> conversations, String next,
                                 @Schema(description = "With `include=total`: how many conversations the filter "
                                         + "(`q`, `trackerId`, `from`, `to`) lets through in all, whatever the page",
                                         example = "2000") Long total) {
    }

    @GetMapping(path = "/v1/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listConversations",
            summary = "The account's conversations (async and streamed), newest first, a page at a time",
            description = "With `trackerId`, `from` and `to`: only those in which that tracker hit, started in that "
                    + "range; the `from`, `to` and a tracker's `id` of an analytics answer list the conversations "
                    + "its `conversations` figure counts. With `q`: only those whose name holds that text (ignoring "
                    + "case) or whose id starts with it. `include=total` adds how many match in all; `offset` "
                    + "leaves out that many, for a UI's numbered pages")
    @ApiResponse(responseCode = "200", description = "Newest first (by createdOn, then id); `next` is left out on "
            + "the last page", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "conversations", value = """
                    {"conversations": [
                      {"id": "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13", "name": "Call with Ann", "source": "async",
                       "startTime": "2026-03-01T10:00:00Z", "createdOn": "2026-03-01T10:05:12.331Z",
                       "messageCount": 2, "hitCount": 1, "jobStatus": "completed"},
                      {"id": "0f6e1c2d-9b3a-4e5f-8d7c-6a5b4c3d2e1f", "source": "streaming",
                       "startTime": "2026-03-01T09:12:40.118Z", "createdOn": "2026-03-01T09:12:40.118Z",
                       "messageCount": 14, "hitCount": 3}],
                     "next": "1772356360118000_0f6e1c2d-9b3a-4e5f-8d7c-6a5b4c3d2e1f",
                     "total": 2000}""")))
    ConversationsResponse list(AccountId account,
            @Parameter(description = "Most conversations in this page (1-" + MAX_PAGE + ")", example = "50")
            @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit,
            @Parameter(description = "The previous page's `next` (where it ended; still valid when conversations "
                    + "are deleted), or a conversation's id",
                    example = "1772356360118000_0f6e1c2d-9b3a-4e5f-8d7c-6a5b4c3d2e1f")
            @RequestParam(required = false) String after,
            @Parameter(description = "Only conversations in which this tracker hit: a managed tracker, or one with "
                    + "stored hits (deleted since, or inline)", example = "cc27aabe-5f55-4b8f-9a0e-3c1d2b4a6f70")
            @RequestParam(required = false) String trackerId,
            @Parameter(description = "Only conversations started at or after this instant (`startTime`): an "
                    + "ISO-8601 date-time with an offset, or a date (midnight UTC)", example = "2026-03-02")
            @RequestParam(required = false) String from,
            @Parameter(description = "Only conversations started before this instant (exclusive), same forms",
                    example = "2026-03-09")
            @RequestParam(required = false) String to,
            @Parameter(description = "Only conversations whose name holds this text, ignoring case, or whose id "
                    + "starts with it (1-" + MAX_QUERY + " characters, taken as it is: % and _ are no wildcards)",
                    example = "call with ann")
            @RequestParam(required = false) String q,
            @Parameter(description = "Leave out this many of the conversations the filter lets through (after "
                    + "`after`, when given): page N of a UI's numbered pages of 50 is `offset=(N-1)*50`. It costs in "
                    + "proportion to the offset; to read on, pass `next` as `after` instead", example = "100")
            @RequestParam(defaultValue = "0") int offset,
            @Parameter(description = "`total`: the answer also says how many conversations the filter lets "
                    + "through in all (`total`), so a count needs no reading of every page", example = "total")
            @RequestParam(required = false) String include) {
        List<FieldViolation> violations = new ArrayList<>();
        if (limit < 1 || limit > MAX_PAGE) {
            violations.add(FieldViolation.of("limit", "must be between 1 and " + MAX_PAGE + ", was " + limit));
        }
        Instant start = from == null ? null : InstantParameter.parse("from", from, violations);
        Instant end = to == null ? null : InstantParameter.parse("to", to, violations);
        if (start != null && end != null && !start.isBefore(end)) {
            violations.add(FieldViolation.of("from", "must be before to (" + to + "), was " + from));
        }
        if (offset < 0) {
            violations.add(FieldViolation.of("offset", "must be 0 or more, was " + offset));
        }
        if (q != null && q.isBlank()) {
            violations.add(FieldViolation.of("q", "must not be blank; leave q out to list every conversation"));
        } else if (q != null && q.length() > MAX_QUERY) {
            violations.add(FieldViolation.of("q", "must be at most " + MAX_QUERY + " characters (a conversation's "
                    + "name is no longer), was " + q.length()));
        } else if (q != null) {
            StorableText.check("q", q, violations);
        }
        if (include != null && !include.equals("total")) {
            violations.add(FieldViolation.of("include", "must be 'total' (the only thing a list of conversations "
                    + "can include), was '" + include + "'"));
        }
        if (trackerId != null && !knownTracker(account, trackerId)) {
            // an id mistyped must not answer "no conversations", which reads as "the tracker never hit"
            violations.add(FieldViolation.of("trackerId", "no tracker '" + trackerId + "' in this account (neither "
                    + "a managed tracker nor one with stored hits)"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        ConversationService.ConversationList page = conversations.list(account,
                new ConversationFilter(trackerId, start, end, q), after, "after", offset, limit, include != null);
        return new ConversationsResponse(page.conversations(), page.next(), page.total());
    }

    private boolean knownTracker(AccountId account, String trackerId) {
        return trackers.allOf(account).stream().anyMatch(tracker -> tracker.id().equals(trackerId))
                || conversations.hasStoredHits(account, trackerId);
    }
}
