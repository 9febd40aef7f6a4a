package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.StoredConversationsTestSupport;
import io.opentrackers.TestApi;
import io.opentrackers.account.AccountId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/** {@code GET /v1/conversations}: the account's conversations, newest first, page by page, and nobody else's. */
class ConversationListIT extends StoredConversationsTestSupport {

    @Autowired
    ConversationService conversations;

    @Test
    void itemsSayWhatAUiListsNewestFirst() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price", "cost");
        Submitted call = submit(api, """
                {"name": "Call with Ann", "messages": [
                  {"payload": {"content": "Hello. What does the price cost? The price is fair."},
                   "duration": {"startTime": "2026-03-01T10:00:00Z", "endTime": "2026-03-01T10:00:09Z"}}]}""");
        awaitCompleted(api, call.jobId());
        Conversation streamed = conversations.createStreaming(account(api), null, List.of());

        JsonNode body = ok(api.get("/v1/conversations"));

        assertThat(body.has("next")).isFalse();
        JsonNode items = body.get("conversations");
        assertThat(items).hasSize(2);
        JsonNode newest = items.get(0);
        assertThat(newest.get("id").asString()).isEqualTo(streamed.id());
        assertThat(newest.get("source").asString()).isEqualTo("streaming");
        assertThat(newest.get("startTime")).isEqualTo(newest.get("createdOn")); // no message yet
        assertThat(newest.get("messageCount").asInt()).isZero();
        assertThat(newest.get("hitCount").asInt()).isZero();
        assertThat(newest.has("jobStatus")).isFalse();
        assertThat(newest.has("name")).isFalse();

        JsonNode async = items.get(1);
        assertThat(async.propertyNames()).containsExactlyInAnyOrder("id", "name", "source", "startTime", "createdOn",
                "messageCount", "hitCount", "jobStatus");
        assertThat(async.get("id").asString()).isEqualTo(call.conversationId());
        assertThat(async.get("name").asString()).isEqualTo("Call with Ann");
        assertThat(async.get("source").asString()).isEqualTo("async");
        assertThat(async.get("startTime").asString()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(async.get("messageCount").asInt()).isEqualTo(3);
        // "What does the price cost?" (two phrases, one hit) and "The price is fair."
        assertThat(async.get("hitCount").asInt()).isEqualTo(2);
        assertThat(async.get("jobStatus").asString()).isEqualTo("completed");
    }

    @Test
    void pagesFollowEachOtherWithoutGapOrRepeatAndOnlyTheCallersConversationsShow() {
        TestApi api = newAccount();
        TestApi other = newAccount();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, conversations.create(account(api), "call " + i, Conversation.SOURCE_ASYNC).id());
            conversations.create(account(other), "other " + i, Conversation.SOURCE_ASYNC);
        }

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = ok(api.get("/v1/conversations?limit=2" + (after == null ? "" : "&after=" + after)));
            page.get("conversations").forEach(c -> seen.add(c.get("id").asString()));
            sizes.add(page.get("conversations").size());
            after = page.has("next") ? page.get("next").asString() : null;
        } while (after != null);

        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(seen).isEqualTo(created);
        assertThat(ok(other.get("/v1/conversations")).get("conversations").valueStream()
                .map(c -> c.get("name").asString())).containsExactly("other 4", "other 3", "other 2", "other 1",
                "other 0");
        // a cursor of another account's conversation is refused like an unknown one
        assertThat(fields(other.get("/v1/conversations?after=" + created.get(0)))).containsExactly("after");
    }

    /**
     * A wire audit: {@code next} was the id of the page's last conversation, looked up to find where the next page
     * starts, so a client that deleted the conversations of a page (a clean-up script) or whose last one was deleted
     * meanwhile (another tab of the UI) got a 400 for the next page and could not go on.
     */
    @Test
    void theNextPageFollowsAlsoWhenThePreviousPagesConversationsWereDeleted() {
        TestApi api = newAccount();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, conversations.create(account(api), "call " + i, Conversation.SOURCE_ASYNC).id());
        }

        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = ok(api.get("/v1/conversations?limit=2" + (after == null ? "" : "&after=" + after)));
            for (JsonNode item : page.get("conversations")) {
                String id = item.get("id").asString();
                seen.add(id);
                assertThat(api.send(HttpMethod.DELETE, "/v1/conversations/" + id, null, null).status()).isEqualTo(200);
            }
            after = page.has("next") ? page.get("next").asString() : null;
        } while (after != null);

        assertThat(seen).isEqualTo(created);
        assertThat(ok(api.get("/v1/conversations")).get("conversations")).isEmpty();
    }

    /** The id of a conversation, as {@code next} was before it became a position, still works as {@code after}. */
    @Test
    void aConversationsIdIsStillAnAfter() {
        TestApi api = newAccount();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(0, conversations.create(account(api), "call " + i, Conversation.SOURCE_ASYNC).id());
        }

        JsonNode page = ok(api.get("/v1/conversations?after=" + created.get(0)));

        assertThat(page.get("conversations").valueStream().map(c -> c.get("id").asString()))
                .containsExactlyElementsOf(created.subList(1, 3));
    }

    /**
     * A wire audit: {@code jobStatus} was the latest job's alone, so an append whose job finished first showed the
     * conversation {@code completed} while its first part was still being matched, and also after that part had
     * failed (its hits missing for good).
     */
    @Test
    void jobStatusSumsUpEveryJobOfTheConversation() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        Submitted running;
        detector.hold();
        try {
            running = submit(api, "{\"messages\": [{\"payload\": {\"content\": \"[hold] What is the price?\"}}]}");
            awaitStatus(api, running.jobId(), "in_progress");
            awaitCompleted(api, append(api, running.conversationId(), "The price is fair."));
            assertThat(statusOf(api, running.conversationId())).isEqualTo("in_progress");
        } finally {
            detector.release();
        }
        awaitCompleted(api, running.jobId());
        assertThat(statusOf(api, running.conversationId())).isEqualTo("completed");

        Submitted failing = submit(api, "{\"messages\": [{\"payload\": {\"content\": \"[fail] What is the price?\"}}]}");
        awaitStatus(api, failing.jobId(), "failed");
        awaitCompleted(api, append(api, failing.conversationId(), "The price is fair."));
        assertThat(statusOf(api, failing.conversationId())).isEqualTo("failed");
    }

    private static String append(TestApi api, String conversationId, String content) {
        TestApi.Response accepted = api.put("/v1/process/text/" + conversationId,
                "{\"messages\": [{\"payload\": {\"content\": \"" + content + "\"}}]}");
        assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(201);
        return accepted.body().get("jobId").asString();
    }

    private static String statusOf(TestApi api, String conversationId) {
        return ok(api.get("/v1/conversations")).get("conversations").valueStream()
                .filter(item -> item.get("id").asString().equals(conversationId)).findFirst().orElseThrow()
                .get("jobStatus").asString();
    }

    private static void awaitStatus(TestApi api, String jobId, String expected) {
        await("job " + jobId + " becomes " + expected,
                () -> ok(api.get("/v1/job/" + jobId)).get("status").asString().equals(expected));
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() {
        TestApi api = newAccount();
        assertThat(fields(api.get("/v1/conversations?limit=0"))).containsExactly("limit");
        assertThat(fields(api.get("/v1/conversations?limit=201"))).containsExactly("limit");
        assertThat(fields(api.get("/v1/conversations?limit=ten"))).containsExactly("limit");
        assertThat(fields(api.get("/v1/conversations?after=" + UUID.randomUUID()))).containsExactly("after");
        assertThat(ok(api.get("/v1/conversations?limit=200")).get("conversations")).isEmpty();
    }

    /**
     * A quality manager who reads "Refund: 2 conversations this week" in analytics asks which calls: the tracker's id
     * and the answer's from and to, passed on as they are, list exactly those, a page at a time; a deleted tracker's
     * calls are still found by its id.
     */
    @Test
    void theConversationsAnAnalyticsFigureCountsAreListedByTrackerAndStartTime() {
        TestApi api = newAccount();
        String refund = createTracker(api, "Refund", "refund");
        String pricing = createTracker(api, "Pricing", "price");
        String monday = call(api, "Monday", "2026-03-02T09:00:00Z", "I want a refund.");
        call(api, "Tuesday, no refund", "2026-03-03T09:00:00Z", "What is the price?");
        String sunday = call(api, "Sunday night", "2026-03-08T23:59:00Z", "A refund, and the price.");
        call(api, "Next Monday", "2026-03-09T00:00:00Z", "Still no refund for me.");

        JsonNode analytics = ok(api.get("/v1/analytics/trackers?from=2026-03-04&to=2026-03-06&interval=week"
                + "&trackerId=" + refund));
        String from = analytics.get("from").asString();
        String to = analytics.get("to").asString();
        assertThat(analytics.get("trackers").get(0).get("conversations").asInt()).isEqualTo(2);

        JsonNode listed = ok(api.get("/v1/conversations?trackerId=" + refund + "&from=" + from + "&to=" + to));
        assertThat(ids(listed)).containsExactly(sunday, monday);
        assertThat(listed.has("next")).isFalse();
        // a page at a time, the filter kept
        JsonNode first = ok(api.get("/v1/conversations?limit=1&trackerId=" + refund + "&from=" + from + "&to=" + to));
        assertThat(ids(first)).containsExactly(sunday);
        JsonNode second = ok(api.get("/v1/conversations?limit=1&trackerId=" + refund + "&from=" + from + "&to=" + to
                + "&after=" + first.get("next").asString()));
        assertThat(ids(second)).containsExactly(monday);
        assertThat(second.has("next")).isFalse();
        // the range alone, with an offset
        assertThat(ids(ok(api.get("/v1/conversations?from=2026-03-08T23:00:00-01:00")))).hasSize(1);
        assertThat(ids(ok(api.get("/v1/conversations?to=2026-03-03T01:00:00-01:00")))).containsExactly(monday);

        assertThat(api.send(HttpMethod.DELETE, "/v1/manage/trackers/" + pricing, null, null).status()).isEqualTo(200);
        assertThat(ids(ok(api.get("/v1/conversations?trackerId=" + pricing)))).hasSize(2);
    }

    @Test
    void aFilterThatNamesNoTrackerOrNoRangeIsAProblemNamingTheParameter() {
        TestApi api = newAccount();
        TestApi other = newAccount();
        String foreign = createTracker(other, "Pricing", "price");
        // an id mistyped, or another account's, is not "no conversations"
        assertThat(fields(api.get("/v1/conversations?trackerId=no-such-tracker"))).containsExactly("trackerId");
        assertThat(fields(api.get("/v1/conversations?trackerId=" + foreign))).containsExactly("trackerId");
        assertThat(fields(api.get("/v1/conversations?from=last-week"))).containsExactly("from");
        assertThat(fields(api.get("/v1/conversations?to=yesterday"))).containsExactly("to");
        assertThat(fields(api.get("/v1/conversations?from=2026-03-02&to=2026-03-02"))).containsExactly("from");
        assertThat(fields(api.get("/v1/conversations?trackerId="))).containsExactly("trackerId");
    }

    /**
     * (The client encodes the path: a space or % is written as it is.) A list of thousands of calls is searched by the service, not by reading it whole: a part of the name in any case,
     * or the start of an id, taken as typed (% and _ are no wildcards), a page at a time, and only the caller's.
     */
    @Test
    void aSearchFindsPartOfANameInAnyCaseOrTheStartOfAnIdAndOnlyTheCallers() {
        TestApi api = newAccount();
        TestApi other = newAccount();
        String ann = conversations.create(account(api), "Call with Ann", Conversation.SOURCE_ASYNC).id();
        String annual = conversations.create(account(api), "ANNUAL review", Conversation.SOURCE_ASYNC).id();
        String percent = conversations.create(account(api), "Discount 100% off", Conversation.SOURCE_ASYNC).id();
        String underscore = conversations.create(account(api), "draft_2", Conversation.SOURCE_ASYNC).id();
        String unnamed = conversations.create(account(api), null, Conversation.SOURCE_STREAMING).id();
        conversations.create(account(other), "Call with Ann", Conversation.SOURCE_ASYNC);

        assertThat(ids(ok(api.get("/v1/conversations?q=ann")))).containsExactly(annual, ann);
        assertThat(ids(ok(api.get("/v1/conversations?q=WITH ANN")))).containsExactly(ann);
        assertThat(ids(ok(api.get("/v1/conversations?q=100%")))).containsExactly(percent);
        assertThat(ids(ok(api.get("/v1/conversations?q=%")))).containsExactly(percent);
        assertThat(ids(ok(api.get("/v1/conversations?q=t_2")))).containsExactly(underscore);
        assertThat(ids(ok(api.get("/v1/conversations?q=" + unnamed.substring(0, 8).toUpperCase()))))
                .containsExactly(unnamed);
        assertThat(ids(ok(api.get("/v1/conversations?q=" + unnamed)))).containsExactly(unnamed);
        // the start of an id, not any part of it
        assertThat(ids(ok(api.get("/v1/conversations?q=" + unnamed.substring(9))))).isEmpty();
        assertThat(ids(ok(api.get("/v1/conversations?q=no such call")))).isEmpty();

        JsonNode first = ok(api.get("/v1/conversations?q=ann&limit=1"));
        assertThat(ids(first)).containsExactly(annual);
        JsonNode second = ok(api.get("/v1/conversations?q=ann&limit=1&after=" + first.get("next").asString()));
        assertThat(ids(second)).containsExactly(ann);
        assertThat(second.has("next")).isFalse();
    }

    /**
     * How many a filter finds, without reading every page: {@code include=total} says it on any page, whatever the
     * page's {@code after} or {@code offset}; without it, the answer is as before.
     */
    @Test
    void includeTotalCountsWhatTheFilterFindsOnEveryPage() {
        TestApi api = newAccount();
        TestApi other = newAccount();
        String refund = createTracker(api, "Refund", "refund");
        call(api, "Refund call", "2026-03-02T09:00:00Z", "I want a refund.");
        call(api, "Other call", "2026-03-03T09:00:00Z", "Hello there.");
        for (int i = 0; i < 5; i++) {
            conversations.create(account(api), "Test upload " + i, Conversation.SOURCE_ASYNC);
            conversations.create(account(other), "Test upload " + i, Conversation.SOURCE_ASYNC);
        }

        JsonNode all = ok(api.get("/v1/conversations?limit=2&include=total"));
        assertThat(all.get("total").asLong()).isEqualTo(7);
        assertThat(all.get("conversations")).hasSize(2);
        assertThat(ok(api.get("/v1/conversations?limit=2&include=total&after=" + all.get("next").asString()))
                .get("total").asLong()).isEqualTo(7);
        assertThat(ok(api.get("/v1/conversations?include=total&q=test upload")).get("total").asLong()).isEqualTo(5);
        assertThat(ok(api.get("/v1/conversations?include=total&q=call&from=2026-03-03")).get("total").asLong())
                .isEqualTo(1);
        assertThat(ok(api.get("/v1/conversations?include=total&trackerId=" + refund)).get("total").asLong())
                .isEqualTo(1);
        JsonNode none = ok(api.get("/v1/conversations?include=total&q=nothing like it"));
        assertThat(none.get("total").asLong()).isZero();
        assertThat(none.get("conversations")).isEmpty();
        assertThat(ok(api.get("/v1/conversations")).has("total")).isFalse();
    }

    /** A UI's numbered pages: {@code offset} leaves out the conversations of the pages before, within the filter. */
    @Test
    void offsetLeavesOutTheConversationsOfThePagesBefore() {
        TestApi api = newAccount();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(0, conversations.create(account(api), (i % 2 == 0 ? "Call " : "Upload ") + i,
                    Conversation.SOURCE_ASYNC).id());
        }

        assertThat(ids(ok(api.get("/v1/conversations?limit=2&offset=2")))).isEqualTo(created.subList(2, 4));
        JsonNode last = ok(api.get("/v1/conversations?limit=2&offset=6&include=total"));
        assertThat(ids(last)).isEqualTo(created.subList(6, 7));
        assertThat(last.has("next")).isFalse();
        assertThat(last.get("total").asLong()).isEqualTo(7);
        assertThat(ids(ok(api.get("/v1/conversations?limit=1&offset=1&q=call")))).containsExactly(created.get(2));
        JsonNode page = ok(api.get("/v1/conversations?limit=2"));
        assertThat(ids(ok(api.get("/v1/conversations?limit=2&offset=2&after=" + page.get("next").asString()))))
                .isEqualTo(created.subList(4, 6));
        assertThat(ids(ok(api.get("/v1/conversations?offset=7")))).isEmpty();
    }

    @Test
    void aBadSearchOffsetOrIncludeIsAProblemNamingTheParameter() {
        TestApi api = newAccount();
        assertThat(fields(api.get("/v1/conversations?q="))).containsExactly("q");
        assertThat(fields(api.get("/v1/conversations?q=  "))).containsExactly("q");
        assertThat(fields(api.get("/v1/conversations?q=" + "a".repeat(257)))).containsExactly("q");
        assertThat(fields(api.get("/v1/conversations?q=a\u0000b"))).containsExactly("q");
        assertThat(fields(api.get("/v1/conversations?offset=-1"))).containsExactly("offset");
        assertThat(fields(api.get("/v1/conversations?offset=many"))).containsExactly("offset");
        assertThat(fields(api.get("/v1/conversations?include=count"))).containsExactly("include");
        assertThat(fields(api.get("/v1/conversations?q=&offset=-1&include=all&limit=0")))
                .containsExactlyInAnyOrder("q", "offset", "include", "limit");
        assertThat(ok(api.get("/v1/conversations?q=" + "a".repeat(256))).get("conversations")).isEmpty();
    }

    private String call(TestApi api, String name, String start, String text) {
        Submitted submitted = submit(api, """
                {"name": "%s", "messages": [{"payload": {"content": "%s"}, "from": {"role": "customer"},
                  "duration": {"startTime": "%s", "endTime": "%s"}}]}""".formatted(name, text, start, start));
        awaitCompleted(api, submitted.jobId());
        return submitted.conversationId();
    }

    private static List<String> ids(JsonNode page) {
        return page.get("conversations").valueStream().map(c -> c.get("id").asString()).toList();
    }

    private static AccountId account(TestApi api) {
        return new AccountId(UUID.fromString(api.accountId()));
    }

    private static JsonNode ok(TestApi.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
        return response.body();
    }

    private static List<String> fields(TestApi.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(400);
        return response.body().get("errors").valueStream().map(e -> e.get("field").asString()).toList();
    }
}
