package io.opentrackers.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.StoredConversationsTestSupport;
import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.matching.TrackerHit;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/analytics/trackers} against a fixture counted by hand: conversations stored through the Async API
 * over several days, weeks and months, two trackers, speakers with and without roles; a second account with the
 * same trackers' names and hits on the same days that must never show.
 *
 * <pre>
 * conversation (start)          message (role)                           Pricing {price, cost}  Cancel {cancel, refund}
 * C1 Mon 2026-03-02 09:00       "The price is fair." (agent)             price
 *                               "What does the price cost?" (customer)   price, cost (one hit)
 *                               "I want to cancel." (customer)                                  cancel
 * C2 Mon 2026-03-02 23:30       "Can I get a refund and cancel?" (cust.)                        refund, cancel (one hit)
 *                               "The cost is high." (no role)            cost
 * C3 Wed 2026-03-04 12:00       "We never cancel." (agent)                                      cancel
 * C4 Tue 2026-03-10 08:00       "What is the price?" (customer)          price
 *                               "Price again." (customer)                price
 * C5 Wed 2026-04-01 00:00       "Refund issued." (agent)                                        refund
 * C6 Tue 2026-03-03 10:00       "Hello." (customer)                      –                      –
 * C7 (no times: created today)  "The price, today."                      price
 * </pre>
 * Every conversation starts with a "[hold]" message without role (its start time is the conversation's start), which
 * holds the jobs until every conversation of the fixture is submitted. Roles come with the requests
 * ({@code speakerRoles}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsIT extends StoredConversationsTestSupport {

    @Autowired
    ConversationService conversations;

    TestApi api;
    TestApi other;
    String pricing;
    String cancel;
    String otherPricing;
    String c1;

    @BeforeAll
    void storeTheFixture() {
        api = newAccount();
        other = newAccount();
        pricing = createTracker(api, "Pricing", "price", "cost");
        cancel = createTracker(api, "Cancel", "cancel", "refund");
        otherPricing = createTracker(other, "Pricing", "price", "cost");
        createTracker(other, "Cancel", "cancel", "refund");

        detector.hold();
        List<Submitted> held = new ArrayList<>();
        try {
            held.add(submit(api, conversation("C1", "2026-03-02T09:00:00Z", "agent@acme.com|The price is fair.",
                    "ann@example.com|What does the price cost?", "ann@example.com|I want to cancel.")));
            held.add(submit(api, conversation("C2", "2026-03-02T23:30:00Z",
                    "ann@example.com|Can I get a refund and cancel?", "|The cost is high.")));
            held.add(submit(api, conversation("C3", "2026-03-04T12:00:00Z", "agent@acme.com|We never cancel.")));
            held.add(submit(api, conversation("C4", "2026-03-10T08:00:00Z", "ann@example.com|What is the price?",
                    "ann@example.com|Price again.")));
            held.add(submit(api, conversation("C5", "2026-04-01T00:00:00Z", "agent@acme.com|Refund issued.")));
            held.add(submit(api, conversation("C6", "2026-03-03T10:00:00Z", "ann@example.com|Hello.")));
            // the other account: hits on the same days, under trackers of the same names, all by customers
            held.add(submit(other, conversation("X1", "2026-03-02T10:00:00Z", "ann@example.com|price and cancel.",
                    "ann@example.com|The cost, the price.")));
            held.add(submit(other, conversation("X2", "2026-03-10T10:00:00Z", "ann@example.com|Refund!")));
        } finally {
            detector.release();
        }
        c1 = held.get(0).conversationId();
        for (int i = 0; i < held.size(); i++) {
            awaitCompleted(i < 6 ? api : other, held.get(i).jobId());
        }
        awaitCompleted(api, submit(api, """
                {"name": "C7", "messages": [{"payload": {"content": "The price, today."}}]}""").jobId());
    }

    @Test
    void weeklyFiguresOfBothTrackers() {
        JsonNode body = ok(api.get("/v1/analytics/trackers?from=2026-03-02&to=2026-03-16&interval=week"));

        assertThat(body).isEqualTo(TestApi.json("""
                {"from": "2026-03-02T00:00:00Z", "to": "2026-03-16T00:00:00Z", "interval": "week",
                 "trackers": [
                   {"id": "%s", "name": "Pricing", "conversations": 3, "hits": 5,
                    "bySpeaker": {"agent": 1, "customer": 3, "unknown": 1},
                    "series": [{"start": "2026-03-02T00:00:00Z", "hits": 3, "conversations": 2},
                               {"start": "2026-03-09T00:00:00Z", "hits": 2, "conversations": 1}],
                    "topPhrases": [{"value": "price", "hits": 4}, {"value": "cost", "hits": 1}]},
                   {"id": "%s", "name": "Cancel", "conversations": 3, "hits": 3,
                    "bySpeaker": {"agent": 1, "customer": 2, "unknown": 0},
                    "series": [{"start": "2026-03-02T00:00:00Z", "hits": 3, "conversations": 3},
                               {"start": "2026-03-09T00:00:00Z", "hits": 0, "conversations": 0}],
                    "topPhrases": [{"value": "cancel", "hits": 2}, {"value": "refund", "hits": 1}]}]}"""
                .formatted(pricing, cancel)));
    }

    /**
     * Quality managers count in spreadsheets: the same figures as CSV, one row per tracker and bucket, as a file to
     * save named after the range; a refused query is still a problem the client can read.
     */
    @Test
    void theFiguresAsCsvForASpreadsheet() throws Exception {
        HttpResponse<String> csv = getCsv("/v1/analytics/trackers?from=2026-03-02&to=2026-03-16&interval=week");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        assertThat(csv.headers().allValues("Vary")).contains("Accept");
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"tracker-analytics-2026-03-02-to-2026-03-16-week.csv\"");
        assertThat(csv.body()).isEqualTo("tracker_id,tracker,start,hits,conversations\r\n"
                + pricing + ",Pricing,2026-03-02,3,2\r\n" + pricing + ",Pricing,2026-03-09,2,1\r\n"
                + cancel + ",Cancel,2026-03-02,3,3\r\n" + cancel + ",Cancel,2026-03-09,0,0\r\n");

        HttpResponse<String> refused = getCsv("/v1/analytics/trackers?interval=fortnight");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("\"field\":\"interval\"");
    }

    private HttpResponse<String> getCsv(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + api.token()).header("Accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void dailyBucketsAreUtcDaysOfTheConversationsStartAndEmptyDaysAreListed() {
        JsonNode body = ok(api.get("/v1/analytics/trackers?from=2026-03-02T00:00:00Z&to=2026-03-05T00:00:00Z"));

        assertThat(body.get("interval").asString()).isEqualTo("day");
        assertThat(series(body, 0)).containsExactly("2026-03-02T00:00:00Z 3/2", "2026-03-03T00:00:00Z 0/0",
                "2026-03-04T00:00:00Z 0/0");
        assertThat(series(body, 1)).containsExactly("2026-03-02T00:00:00Z 2/2", "2026-03-03T00:00:00Z 0/0",
                "2026-03-04T00:00:00Z 1/1");
    }

    @Test
    void monthlyBucketsAndTheRangeWidenedToWholeBuckets() {
        JsonNode body = ok(api.get("/v1/analytics/trackers?interval=month&from=2026-03-15T10:00:00-02:00"
                + "&to=2026-04-01T00:00:01Z&trackerId=" + cancel));

        assertThat(body.get("from").asString()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(body.get("to").asString()).isEqualTo("2026-05-01T00:00:00Z");
        assertThat(body.get("trackers")).hasSize(1);
        assertThat(series(body, 0)).containsExactly("2026-03-01T00:00:00Z 3/3", "2026-04-01T00:00:00Z 1/1");
        assertThat(body.get("trackers").get(0).get("bySpeaker"))
                .isEqualTo(TestApi.json("{\"agent\": 2, \"customer\": 2, \"unknown\": 0}"));
    }

    @Test
    void weeksStartOnMondayAndTrackersComeInTheRequestedOrder() {
        JsonNode body = ok(api.get("/v1/analytics/trackers?interval=week&from=2026-03-08&to=2026-03-09"
                + "&trackerId=" + cancel + "&trackerId=" + pricing + "&trackerId=" + cancel));

        assertThat(body.get("from").asString()).isEqualTo("2026-03-02T00:00:00Z"); // Sunday the 8th → Monday the 2nd
        assertThat(body.get("to").asString()).isEqualTo("2026-03-09T00:00:00Z");
        assertThat(body.get("trackers").valueStream().map(t -> t.get("id").asString()).toList())
                .containsExactly(cancel, pricing);
    }

    @Test
    void theDefaultRangeIsTheLastThirtyDaysAndAConversationWithoutTimesCountsOnItsCreationDay() {
        JsonNode body = ok(api.get("/v1/analytics/trackers"));

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(body.get("to").asString()).isEqualTo(today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                .toString());
        assertThat(body.get("from").asString()).isEqualTo(today.minusDays(29).atStartOfDay()
                .toInstant(ZoneOffset.UTC).toString());
        JsonNode pricingFigures = body.get("trackers").get(0);
        assertThat(pricingFigures.get("series")).hasSize(30);
        assertThat(pricingFigures.get("hits").asInt()).isEqualTo(1);
        assertThat(pricingFigures.get("bySpeaker").get("unknown").asInt()).isEqualTo(1);
        assertThat(series(body, 0).get(29)).isEqualTo(today.atStartOfDay().toInstant(ZoneOffset.UTC) + " 1/1");
    }

    @Test
    void anotherAccountSeesOnlyItsOwnHitsAndNotTheTrackersOfThisOne() {
        JsonNode body = ok(other.get("/v1/analytics/trackers?from=2026-03-01&to=2026-04-01&interval=month"));

        JsonNode otherPricingFigures = body.get("trackers").get(0);
        assertThat(otherPricingFigures.get("id").asString()).isEqualTo(otherPricing);
        // X1: "price and cancel." and "The cost, the price." are two Pricing hits (price 2, cost 1), by a customer
        assertThat(otherPricingFigures.get("hits").asInt()).isEqualTo(2);
        assertThat(otherPricingFigures.get("conversations").asInt()).isEqualTo(1);
        assertThat(otherPricingFigures.get("bySpeaker"))
                .isEqualTo(TestApi.json("{\"agent\": 0, \"customer\": 2, \"unknown\": 0}"));
        assertThat(otherPricingFigures.get("topPhrases"))
                .isEqualTo(TestApi.json("[{\"value\": \"cost\", \"hits\": 1}, {\"value\": \"price\", \"hits\": 1}]"));
        assertThat(body.get("trackers")).hasSize(2);

        TestApi.Response foreign = other.get("/v1/analytics/trackers?trackerId=" + pricing);
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(fields(foreign)).containsExactly("trackerId");
    }

    @Test
    void storingTheSameHitsAgainChangesNoFigure() {
        String before = ok(api.get("/v1/analytics/trackers?from=2026-03-02&to=2026-03-16&interval=week")).toString();
        JsonNode messages = api.get("/v1/conversations/" + c1 + "/messages").body().get("messages");
        String priceMessage = messages.get(1).get("id").asString();

        // a retried job: the same (message, tracker, phrase) is stored once and counted once
        conversations.recordHits(new AccountId(UUID.fromString(api.accountId())), c1,
                List.of(new TrackerHit(priceMessage, pricing, "Pricing", "price", 4, 1.0, 4, 9)));

        assertThat(ok(api.get("/v1/analytics/trackers?from=2026-03-02&to=2026-03-16&interval=week")).toString())
                .isEqualTo(before);
    }

    @Test
    void concurrentWritersOfOneConversationCountEachHitAndTheConversationOnce() throws Exception {
        TestApi owner = newAccount();
        String tracker = createTracker(owner, "Quiet", "nothing said here");
        Submitted call = submit(owner, conversation("Q1", "2026-03-02T09:00:00Z", "|one.", "|two.", "|three."));
        awaitCompleted(owner, call.jobId());
        List<String> messageIds = owner.get("/v1/conversations/" + call.conversationId() + "/messages").body()
                .get("messages").valueStream().map(m -> m.get("id").asString()).toList();
        AccountId account = new AccountId(UUID.fromString(owner.accountId()));

        // 8 writers (as a stream's detection workers or overlapping jobs would), each storing hits of every
        // message, two phrases each, some the same as other writers': 3 messages hit, in 1 conversation
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String phrase = "phrase " + (w % 2);
                writers.add(pool.submit(() -> conversations.recordHits(account, call.conversationId(),
                        messageIds.stream().flatMap(id -> List.of(
                                new TrackerHit(id, tracker, "Quiet", phrase, -1, 0.9, 0, 3),
                                new TrackerHit(id, tracker, "Quiet", "shared phrase", -1, 0.9, 0, 3)).stream())
                                .toList())));
            }
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        JsonNode figures = ok(owner.get("/v1/analytics/trackers?from=2026-03-02&to=2026-03-03")).get("trackers").get(0);
        assertThat(figures.get("hits").asInt()).isEqualTo(4); // the "[hold]" message and the three others
        assertThat(figures.get("conversations").asInt()).isEqualTo(1);
        // one phrase per hit, whichever writer stored the message's hits first
        assertThat(figures.get("topPhrases").valueStream().mapToInt(p -> p.get("hits").asInt()).sum()).isEqualTo(4);
    }

    @Test
    void aDeletedTrackerStaysListedUnderItsStoredName() {
        TestApi owner = newAccount();
        String gone = createTracker(owner, "Gone soon", "price");
        awaitCompleted(owner, submit(owner, conversation("D1", "2026-03-02T09:00:00Z", "|The price.")).jobId());
        assertThat(owner.send(org.springframework.http.HttpMethod.DELETE, "/v1/manage/trackers/" + gone, null, null)
                .status()).isEqualTo(200);

        JsonNode all = ok(owner.get("/v1/analytics/trackers?from=2026-03-02&to=2026-03-03"));
        JsonNode only = ok(owner.get("/v1/analytics/trackers?from=2026-03-02&to=2026-03-03&trackerId=" + gone));

        assertThat(all).isEqualTo(only);
        assertThat(all.get("trackers").get(0).get("name").asString()).isEqualTo("Gone soon");
        assertThat(all.get("trackers").get(0).get("hits").asInt()).isEqualTo(1);
    }

    @Test
    void streamedConversationsAreCountedLikeAsyncOnes() {
        TestApi owner = newAccount();
        String budget = createTracker(owner, "Budget", "no budget");
        try (TestSocket socket = TestSocket.open(URI.create("ws://localhost:" + port + "/v1/streaming/"
                + UUID.randomUUID() + "?access_token=" + owner.token()), Map.of())) {
            socket.send("{\"type\":\"start_request\",\"trackers\":[{\"id\":\"" + budget + "\"}]}");
            socket.next(); // started_listening
            socket.next(); // conversation_created
            socket.next(); // recognition_started
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":"
                    + "\"We have no budget. Really no budget.\"},\"isFinal\":true}]}");
            socket.send("{\"type\":\"stop_request\"}");
            JsonNode frame;
            do {
                frame = socket.next();
            } while (!frame.path("message").path("type").asString().equals("conversation_completed"));
        }

        // streamed messages carry no start time here: the conversation counts on its creation day, today
        JsonNode body = ok(owner.get("/v1/analytics/trackers?interval=month&trackerId=" + budget));
        JsonNode figures = body.get("trackers").get(0);
        assertThat(figures.get("hits").asInt()).isEqualTo(2);
        assertThat(figures.get("conversations").asInt()).isEqualTo(1);
        assertThat(figures.get("topPhrases"))
                .isEqualTo(TestApi.json("[{\"value\": \"no budget\", \"hits\": 2}]"));
        assertThat(series(body, 0).get(11)).isEqualTo(LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1)
                .atStartOfDay().toInstant(ZoneOffset.UTC) + " 2/1");
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() {
        assertThat(fields(api.get("/v1/analytics/trackers?interval=hour"))).containsExactly("interval");
        assertThat(fields(api.get("/v1/analytics/trackers?from=yesterday"))).containsExactly("from");
        assertThat(fields(api.get("/v1/analytics/trackers?to=2026-02-30"))).containsExactly("to");
        assertThat(fields(api.get("/v1/analytics/trackers?from=2026-03-02&to=2026-03-02"))).containsExactly("from");
        assertThat(fields(api.get("/v1/analytics/trackers?from=2026-03-05&to=2026-03-02"))).containsExactly("from");
        assertThat(fields(api.get("/v1/analytics/trackers?from=2020-01-01&to=2026-01-01"))).containsExactly("from");
        assertThat(fields(api.get("/v1/analytics/trackers?from=1969-12-31"))).containsExactly("from");
        assertThat(fields(api.get("/v1/analytics/trackers?to=9999-06-01"))).containsExactly("to");
        assertThat(fields(api.get("/v1/analytics/trackers?trackerId=nope&trackerId=" + pricing)))
                .containsExactly("trackerId");
        assertThat(fields(api.get("/v1/analytics/trackers?interval=week&from=2026-03-02&to=2026-03-01T00:00:00Z")))
                .containsExactly("from");
        // a teaching audit: an empty trackerId (a client's unset variable) answered every tracker
        TestApi.Response empty = api.get("/v1/analytics/trackers?trackerId=");
        assertThat(fields(empty)).containsExactly("trackerId");
        assertThat(empty.body().get("detail").asString()).isEqualTo("trackerId: must not be empty; leave it out to "
                + "count every tracker");
        // a teaching audit: an offset's '+' written as such in a URL arrives as a space; the problem says how to write it
        TestApi.Response plus = api.get("/v1/analytics/trackers?from=2026-03-01T10:00:00+02:00");
        assertThat(fields(plus)).containsExactly("from");
        assertThat(plus.body().get("errors").get(0).get("message").asString()).isEqualTo("must be an ISO-8601 "
                + "date-time with an offset (2026-03-01T00:00:00Z) or a date (2026-03-01), was '2026-03-01T10:00:00 "
                + "02:00'; in a URL, write the offset's '+' as %2B");
        // a long range is fine in longer buckets
        assertThat(api.get("/v1/analytics/trackers?from=2020-01-01&to=2026-01-01&interval=week").status())
                .isEqualTo(200);
    }

    /** A job body: a "[hold]" message at {@code start}, then each "userId|text" message 10 s after the previous. */
    static String conversation(String name, String start, String... messages) {
        Instant at = Instant.parse(start);
        List<String> items = new ArrayList<>();
        items.add(message("", "[hold]", at));
        for (String message : messages) {
            at = at.plusSeconds(10);
            int bar = message.indexOf('|');
            items.add(message(message.substring(0, bar), message.substring(bar + 1), at));
        }
        // roles declared per speaker, the way a client that only knows user ids does (speakerRoles)
        return "{\"name\": \"" + name + "\", \"speakerRoles\": {\"agent@acme.com\": \"agent\","
                + " \"ann@example.com\": \"customer\"}, \"messages\": [" + String.join(", ", items) + "]}";
    }

    private static String message(String userId, String text, Instant start) {
        String from = userId.isEmpty() ? "" : ", \"from\": {\"userId\": \"" + userId + "\", \"name\": \"x\"}";
        return "{\"payload\": {\"content\": \"" + text + "\"}" + from + ", \"duration\": {\"startTime\": \"" + start
                + "\", \"endTime\": \"" + start.plusSeconds(5) + "\"}}";
    }

    private static JsonNode ok(TestApi.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
        return response.body();
    }

    /** "start hits/conversations" of each bucket of the {@code index}th tracker. */
    private static List<String> series(JsonNode body, int index) {
        return body.get("trackers").get(index).get("series").valueStream()
                .map(b -> b.get("start").asString() + " " + b.get("hits").asInt() + "/" + b.get("conversations").asInt())
                .toList();
    }

    private static List<String> fields(TestApi.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(400);
        assertThat(response.headers().getContentType().toString()).startsWith("application/problem+json");
        return response.body().get("errors").valueStream().map(e -> e.get("field").asString()).toList();
    }
}
