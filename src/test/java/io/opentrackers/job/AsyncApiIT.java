package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** The Async API through HTTP: submit, poll, read results, append, tracker selection, limits and isolation. */
class AsyncApiIT extends AsyncApiTestSupport {

    @Test
    void submitPollAndReadTheHitsInTheExactShape() {
        TestApi api = newAccount();
        String pricing = createTracker(api, "Pricing", "how much does it cost", "price");
        TestApi.Response accepted = api.post("/v1/process/text", """
                {"name": "Call with Ann",
                 "messages": [
                   {"payload": {"content": "Hello there. How much does it cost per seat?", "contentType": "text/plain"},
                    "from": {"userId": "ann@example.com", "name": "Ann"},
                    "duration": {"startTime": "2026-03-01T10:00:00Z", "endTime": "2026-03-01T10:00:09Z"}},
                   {"payload": {"content": "The price depends on volume."}}]}""");

        assertThat(accepted.status()).isEqualTo(201);
        assertThat(accepted.body().propertyNames()).containsExactlyInAnyOrder("conversationId", "jobId");
        String conversationId = accepted.body().get("conversationId").asString();
        String jobId = accepted.body().get("jobId").asString();
        // what a client follows next, findable by a generic HTTP client without reading the body
        assertThat(accepted.headers().getLocation()).hasToString("/v1/job/" + jobId);

        JsonNode job = awaitJob(api, jobId, "completed");
        assertThat(job.get("id").asString()).isEqualTo(jobId);
        assertThat(job.get("conversationId").asString()).isEqualTo(conversationId);
        assertThat(job.get("progress")).isEqualTo(TestApi.json("{\"done\":3,\"total\":3}"));
        assertThat(job.has("error")).isFalse();

        JsonNode messages = api.get("/v1/conversations/" + conversationId + "/messages").body();
        assertThat(texts(messages)).containsExactly("Hello there.", "How much does it cost per seat?",
                "The price depends on volume.");
        JsonNode second = messages.get("messages").get(1);
        assertThat(second.get("from")).isEqualTo(TestApi.json("{\"userId\":\"ann@example.com\",\"name\":\"Ann\"}"));
        assertThat(second.get("startTime").asString()).isEqualTo("2026-03-01T10:00:02.659Z"); // 9 s × 13/44
        assertThat(second.get("endTime").asString()).isEqualTo("2026-03-01T10:00:09Z");
        String costId = second.get("id").asString();
        String priceId = messages.get("messages").get(2).get("id").asString();

        JsonNode expected = TestApi.json("""
                [{"id": "%s", "name": "Pricing", "matches": [
                   {"type": "vocabulary", "value": "how much does it cost",
                    "messageRefs": [{"id": "%s", "text": "How much does it cost per seat?", "offset": 0,
                                     "score": 1.0, "start": 0, "end": 21,
                                     "from": {"userId": "ann@example.com", "name": "Ann"}}],
                    "insightRefs": []},
                   {"type": "vocabulary", "value": "price",
                    "messageRefs": [{"id": "%s", "text": "The price depends on volume.", "offset": 4,
                                     "score": 1.0, "start": 4, "end": 9}],
                    "insightRefs": []}]}]""".formatted(pricing, costId, priceId));
        assertThat(api.get("/v1/conversations/" + conversationId + "/trackers").body()).isEqualTo(expected);
        assertThat(api.get("/v1/conversations/" + conversationId + "/trackers-detected").body()).isEqualTo(expected);

        JsonNode conversation = api.get("/v1/conversations/" + conversationId).body();
        assertThat(conversation.get("id").asString()).isEqualTo(conversationId);
        assertThat(conversation.get("name").asString()).isEqualTo("Call with Ann");
        assertThat(conversation.get("source").asString()).isEqualTo("async");
        assertThat(conversation.get("messageCount").asInt()).isEqualTo(3);
    }

    @Test
    void appendingAddsMessagesAndProcessesThemInANewJobWithTheSameTrackers() {
        TestApi api = newAccount();
        TestApi.Response first = api.post("/v1/process/text", """
                {"trackers": [%s],
                 "messages": [{"payload": {"content": "We have no budget this year."}}]}""".formatted(
                trackerJson("Budget", "no budget", "too expensive")));
        String conversationId = first.body().get("conversationId").asString();
        awaitJob(api, first.body().get("jobId").asString(), "completed");
        createTracker(api, "Unrelated", "weather"); // not selected by the first request, so not used on append

        TestApi.Response appended = api.put("/v1/process/text/" + conversationId, """
                {"messages": [{"payload": {"content": "It is too expensive. Nice weather though."}}]}""");
        assertThat(appended.status()).isEqualTo(201);
        assertThat(appended.body().get("conversationId").asString()).isEqualTo(conversationId);
        String secondJob = appended.body().get("jobId").asString();
        assertThat(appended.headers().getLocation()).hasToString("/v1/job/" + secondJob);
        assertThat(secondJob).isNotEqualTo(first.body().get("jobId").asString());
        assertThat(awaitJob(api, secondJob, "completed").get("progress"))
                .isEqualTo(TestApi.json("{\"done\":2,\"total\":2}"));

        JsonNode messages = api.get("/v1/conversations/" + conversationId + "/messages").body();
        assertThat(texts(messages)).containsExactly("We have no budget this year.", "It is too expensive.",
                "Nice weather though.");
        JsonNode trackers = api.get("/v1/conversations/" + conversationId + "/trackers").body();
        assertThat(trackers).hasSize(1);
        assertThat(trackers.get(0).get("name").asString()).isEqualTo("Budget");
        assertThat(trackers.get(0).get("matches").valueStream().map(m -> m.get("value").asString()))
                .containsExactly("no budget", "too expensive");

        TestApi.Response unknown = api.put("/v1/process/text/" + UUID.randomUUID(),
                "{\"messages\": [{\"payload\": {\"content\": \"hello\"}}]}");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void trackerSelectionFollowsTheDefaultsOfTheApi() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        String content = "{\"payload\": {\"content\": \"The price is a concern.\"}}";
        String inline = trackerJson("Concern", "concern");

        assertThat(trackerNames(api, "{\"messages\": [" + content + "]}")).containsExactly("Pricing");
        assertThat(trackerNames(api, "{\"trackers\": [" + inline + "], \"messages\": [" + content + "]}"))
                .containsExactly("Concern");
        assertThat(trackerNames(api, "{\"enableAllTrackers\": false, \"messages\": [" + content + "]}")).isEmpty();
        assertThat(trackerNames(api, "{\"trackers\": [" + inline + "], \"enableAllTrackers\": true, \"messages\": ["
                + content + "]}")).containsExactlyInAnyOrder("Concern", "Pricing");
    }

    /**
     * A job that applied no tracker (submitted before the account had one, or choosing none) says so: it completed
     * with no hits and no word of why, and a newcomer looked for the fault in the matching. A job with trackers has
     * no such warning.
     */
    @Test
    void aJobThatAppliedNoTrackerSaysWhyItFoundNothing() {
        TestApi api = newAccount();
        String content = "{\"payload\": {\"content\": \"The price is a concern.\"}}";
        for (String body : List.of("{\"messages\": [" + content + "]}",
                "{\"trackers\": [], \"messages\": [" + content + "]}")) {
            String jobId = api.post("/v1/process/text", body).body().get("jobId").asString();
            awaitStatus(api, jobId, "completed");
            assertThat(api.get("/v1/job/" + jobId).body().get("warnings")).as(body).singleElement().asString()
                    .contains("no tracker applied to this job", "POST /v1/manage/trackers");
        }
        createTracker(api, "Pricing", "price");
        String jobId = api.post("/v1/process/text", "{\"messages\": [" + content + "]}").body().get("jobId").asString();
        awaitStatus(api, jobId, "completed");
        assertThat(api.get("/v1/job/" + jobId).body().has("warnings")).isFalse();
    }

    /**
     * A wire audit: a JSON body with {@code ?trackerId=<id>&enableAllTrackers=false} got a 201 and a job applying
     * every tracker of the account; {@code ?name=}, {@code ?speakerRoles=} and {@code ?startTime=} were dropped as
     * silently, and {@code ?trackerIds=} too. Each is refused naming it, and no conversation is stored.
     */
    @Test
    void aJsonBodyRefusesTheQueryParametersOfATranscriptUpload() {
        TestApi api = newAccount();
        String pricing = createTracker(api, "Pricing", "price");
        String body = "{\"messages\": [{\"payload\": {\"content\": \"The price is a concern.\"}}]}";
        TestApi.Response refused = api.post("/v1/process/text?name=Weekly&trackerId=" + pricing
                + "&enableAllTrackers=false&speakerRoles=Bob:agent&startTime=2026-01-01T00:00:00Z", body);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("name", "trackerId", "enableAllTrackers", "speakerRoles", "startTime");
        assertThat(refused.body().get("errors").get(0).get("message").asString())
                .contains("transcript upload", "in the body");
        TestApi.Response misspelt = api.post("/v1/process/text?trackerIds=" + pricing, body);
        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt.body().get("errors").get(0).get("field").asString()).isEqualTo("trackerIds");
        assertThat(api.get("/v1/conversations").body().get("conversations")).as("nothing stored").isEmpty();
        TestApi.Response accepted = api.post("/v1/process/text", body);
        String conversationId = accepted.body().get("conversationId").asString();
        awaitJob(api, accepted.body().get("jobId").asString(), "completed");
        TestApi.Response appended = api.put("/v1/process/text/" + conversationId + "?enableAllTrackers=true", body);
        assertThat(appended.status()).isEqualTo(400);
        assertThat(appended.body().get("errors").get(0).get("field").asString()).isEqualTo("enableAllTrackers");
        assertThat(api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages"))
                .as("nothing appended").hasSize(1);
    }

    private List<String> trackerNames(TestApi api, String body) {
        TestApi.Response accepted = api.post("/v1/process/text", body);
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(201);
        awaitJob(api, accepted.body().get("jobId").asString(), "completed");
        JsonNode trackers = api.get("/v1/conversations/" + accepted.body().get("conversationId").asString()
                + "/trackers").body();
        return trackers.valueStream().map(t -> t.get("name").asString()).toList();
    }

    @Test
    void invalidRequestsAreRefusedNamingTheFieldAndStoreNothing() {
        TestApi api = newAccount();
        String trackerId = createTracker(api, "Pricing", "price");
        assertInvalid(api, "{\"messages\": []}", "messages");
        assertInvalid(api, "{\"name\": \"x\"}", "messages");
        assertInvalid(api, """
                {"messages": [{"payload": {"content": "fine"}}, {"payload": {"content": "  "}}]}""",
                "messages[1].payload.content");
        assertInvalid(api, """
                {"messages": [{"payload": {"content": "fine"},
                               "duration": {"startTime": "yesterday", "endTime": "2026-01-01T00:00:00Z"}}]}""",
                "messages[0].duration.startTime");
        assertInvalid(api, """
                {"messages": [{"payload": {"content": "fine"},
                  "duration": {"startTime": "2026-01-01T00:00:05Z", "endTime": "2026-01-01T00:00:00Z"}}]}""",
                "messages[0].duration.endTime");
        assertInvalid(api, "{\"webhookUrl\": \"ftp://example.com/hook\", \"messages\": [{\"payload\": {\"content\": \"a\"}}]}",
                "webhookUrl");
        assertInvalid(api, "{\"webhookUrl\": \"not a url\", \"messages\": [{\"payload\": {\"content\": \"a\"}}]}",
                "webhookUrl");
        TestApi.Response unknownTracker = assertInvalid(api, """
                {"trackers": [{"id": "%s"}, {"id": "no-such-tracker"}],
                 "messages": [{"payload": {"content": "a"}}]}""".formatted(trackerId), "trackers[1].id");
        assertThat(unknownTracker.body().get("message").asString()).contains("no-such-tracker");
        assertInvalid(api, "{\"enableAllTrackers\": \"yes please\", \"messages\": [{\"payload\": {\"content\": \"a\"}}]}",
                "enableAllTrackers");
        TestApi.Response malformed = api.post("/v1/process/text", "{\"messages\": [");
        assertThat(malformed.status()).isEqualTo(400);

        int stored = jdbc.sql("select count(*) from conversation where account_id = :a")
                .param("a", UUID.fromString(api.accountId())).query(Integer.class).single();
        assertThat(stored).isZero();
    }

    private static TestApi.Response assertInvalid(TestApi api, String body, String field) {
        TestApi.Response response = api.post("/v1/process/text", body);
        assertThat(response.status()).as(body).isEqualTo(400);
        assertThat(response.headers().getContentType()).hasToString("application/problem+json");
        assertThat(response.body().get("errors").valueStream().map(e -> e.get("field").asString()))
                .as(response.body().toString()).contains(field);
        assertThat(response.body().get("message").asString()).contains(field);
        return response;
    }

    @Test
    void anotherAccountCannotSeeOrExtendAConversationOrJob() {
        TestApi a = newAccount();
        TestApi b = newAccount();
        TestApi.Response accepted = a.post("/v1/process/text", "{\"messages\": [{\"payload\": {\"content\": \"Secret plans.\"}}]}");
        String conversationId = accepted.body().get("conversationId").asString();
        String jobId = accepted.body().get("jobId").asString();
        awaitJob(a, jobId, "completed");

        assertThat(b.get("/v1/job/" + jobId).status()).isEqualTo(404);
        for (String path : List.of("", "/messages", "/trackers", "/trackers-detected")) {
            assertThat(b.get("/v1/conversations/" + conversationId + path).status()).as(path).isEqualTo(404);
        }
        assertThat(b.put("/v1/process/text/" + conversationId,
                "{\"messages\": [{\"payload\": {\"content\": \"injected\"}}]}").status()).isEqualTo(404);
        assertThat(texts(a.get("/v1/conversations/" + conversationId + "/messages").body()))
                .containsExactly("Secret plans.");
        assertThat(a.get("/v1/job/" + UUID.randomUUID()).status()).isEqualTo(404);
        // a conversation id sent for the job's is named, to its own account only
        assertThat(b.get("/v1/job/" + conversationId).body().get("detail").asString())
                .isEqualTo("Job '" + conversationId + "' not found (a job is deleted with its conversation)");
    }

    /** The 201 answers both ids side by side: the conversation's, polled as a job's, says what it is. */
    @Test
    void aConversationIdPolledAsAJobsIsNamedWithTheJobToFollow() {
        TestApi api = newAccount();
        TestApi.Response accepted = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"How much is it?\"}}]}");
        String conversationId = accepted.body().get("conversationId").asString();
        awaitJob(api, accepted.body().get("jobId").asString(), "completed");
        TestApi.Response appended = api.put("/v1/process/text/" + conversationId,
                "{\"messages\": [{\"payload\": {\"content\": \"Thanks.\"}}]}");
        String latest = appended.body().get("jobId").asString();

        TestApi.Response polled = api.get("/v1/job/" + conversationId);

        assertThat(polled.status()).isEqualTo(404);
        assertThat(polled.body().get("type").asString()).isEqualTo("https://opentrackers.io/problems/not-found");
        assertThat(polled.body().get("detail").asString()).isEqualTo("Job '" + conversationId + "' not found: '"
                + conversationId + "' is the id of a conversation; its latest job is '" + latest + "' (GET /v1/job/"
                + latest + "), and GET /v1/conversations/" + conversationId + " shows the conversation");
        awaitJob(api, latest, "completed");
    }

    @Test
    void aFailingMatchFailsTheJobWithItsReason() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        JsonNode job = awaitJob(api, submitOneMessage(api, "This breaks [fail] the matcher."), "failed");
        assertThat(job.get("error").asString()).contains("test detector asked to fail");
    }

    @Test
    void aJobThatMeetsATemporaryFailureIsTakenUpAgainAndCompletes() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        JsonNode job = awaitJob(api, submitOneMessage(api, "The database [outage] went away over the price."),
                "completed");
        assertThat(job.path("error").isMissingNode() || job.path("error").isNull()).as(job.toString()).isTrue();
        JsonNode hits = api.get("/v1/conversations/" + job.get("conversationId").asString() + "/trackers").body();
        assertThat(hits.toString()).contains("\"name\":\"Pricing\"");
    }

    @Test
    void aJobWhoseFailureStaysAfterEveryAttemptFailsNamingIt() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        JsonNode job = awaitJob(api, submitOneMessage(api, "The database [outage-always] is gone."), "failed");
        assertThat(job.get("error").asString()).startsWith("processing failed 3 times, the last: ")
                .contains("the database is out of reach");
    }

    @Test
    void tooManyActiveJobsOfOneAccountAreRefusedWith429() {
        TestApi api = newAccount();
        TestApi other = newAccount();
        createTracker(api, "Pricing", "price");
        detector.hold();
        List<String> jobs;
        try {
            jobs = fillTheAccountWithHeldJobs(api);
            TestApi.Response refused = api.post("/v1/process/text", HELD);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().getContentType()).hasToString("application/problem+json");
            assertThat(refused.headers().getFirst("Retry-After")).isNotNull();
            assertThat(refused.body().get("status").asInt()).isEqualTo(429);
            assertThat(refused.body().get("message").asString()).contains("limit 3");
            // the limit is per account
            assertThat(other.post("/v1/process/text", "{\"messages\": [{\"payload\": {\"content\": \"hi\"}}]}")
                    .status()).isEqualTo(201);
        } finally {
            detector.release();
        }
        jobs.forEach(job -> awaitJob(api, job, "completed"));
        assertThat(api.post("/v1/process/text", HELD).status()).isEqualTo(201);
    }

    /**
     * The 429 of a full account says when to come back: when its running job that will finish first should have
     * finished, judged by that job's progress so far, within 1 s and 5 min (docs/jobs.md, "Limits"). Until
     * 2026-11-27 it said {@code Retry-After: 1} whatever ran, so clients of a long job retried every second.
     */
    @Test
    void theRetryAfterOfAFullAccountEstimatesWhenItsNextJobFinishes() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        detector.hold();
        List<String> jobs;
        try {
            jobs = fillTheAccountWithHeldJobs(api);
            // nothing has made progress yet (two jobs wait in the detector, one for a worker): a short wait
            assertThat(retryAfter(api)).isEqualTo(5);

            // the first job's run began 20 s ago and has done 50 of its 100 messages: about 20 s more
            String running = jobs.get(0);
            awaitStatus(api, running, "in_progress");
            jdbc.sql("""
                    update job set run_started_on = now() - interval '20 seconds', run_started_done = 0, done = 50,
                        total = 100 where id = :id""").param("id", running).update();
            assertThat(retryAfter(api)).isBetween(20, 30); // 20 s and the moments since the update

            // a slow one (10 of 10,000 in 60 s: most of a week) is bounded: the client asks again in 5 min
            jdbc.sql("""
                    update job set run_started_on = now() - interval '60 seconds', done = 10, total = 10000
                    where id = :id""").param("id", running).update();
            assertThat(retryAfter(api)).isEqualTo(300);

            // one almost done (99 of 100 in 10 s: 0.1 s more) is bounded below: Retry-After is whole seconds
            jdbc.sql("""
                    update job set run_started_on = now() - interval '10 seconds', done = 99, total = 100
                    where id = :id""").param("id", running).update();
            assertThat(retryAfter(api)).isEqualTo(1);
        } finally {
            detector.release();
        }
        jobs.forEach(job -> awaitJob(api, job, "completed"));
    }

    /** A job that waits in the held detector: it stays active until the detector is released. */
    private static final String HELD =
            "{\"messages\": [{\"payload\": {\"content\": \"Waiting [hold] for the price.\"}}]}";

    /** Submits the account's limit of active jobs (trackers.jobs.max-active-per-account is 3 in the tests). */
    private static List<String> fillTheAccountWithHeldJobs(TestApi api) {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestApi.Response accepted = api.post("/v1/process/text", HELD);
            assertThat(accepted.status()).isEqualTo(201);
            jobs.add(accepted.body().get("jobId").asString());
        }
        return jobs;
    }

    private static int retryAfter(TestApi api) {
        TestApi.Response refused = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"One more.\"}}]}");
        assertThat(refused.status()).isEqualTo(429);
        int seconds = Integer.parseInt(refused.headers().getFirst("Retry-After"));
        assertThat(refused.body().get("message").asString()).endsWith("in about " + seconds + " s");
        return seconds;
    }

    private static void awaitStatus(TestApi api, String jobId, String status) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!api.get("/v1/job/" + jobId).body().get("status").asString().equals(status)) {
            assertThat(System.currentTimeMillis()).as("job %s %s", jobId, status).isLessThan(deadline);
            sleep(20);
        }
    }

    @Test
    void webVttAndSrtTranscriptsBecomeMessagesWithSpeakersAndTimes() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        String vtt = """
                WEBVTT
                Kind: captions

                NOTE exported by a meeting tool

                intro
                00:00:01.000 --> 00:00:04.500 align:start
                <v Ann Lee>What is the <i>price</i> of this?</v>

                00:01:02.250 --> 00:01:05.000
                Bob: It depends &amp; varies.
                """;
        TestApi.Response accepted = api.send(HttpMethod.POST,
                "/v1/process/text?name=Weekly&startTime=2026-05-01T09:00:00Z", MediaType.valueOf("text/vtt"), vtt);
        assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(201);
        String conversationId = accepted.body().get("conversationId").asString();
        assertThat(accepted.headers().getLocation()).hasToString("/v1/job/" + accepted.body().get("jobId").asString());
        awaitJob(api, accepted.body().get("jobId").asString(), "completed");

        JsonNode messages = api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("text").asString()).isEqualTo("What is the price of this?");
        assertThat(messages.get(0).get("from")).isEqualTo(TestApi.json("{\"name\":\"Ann Lee\"}"));
        assertThat(messages.get(0).get("startTime").asString()).isEqualTo("2026-05-01T09:00:01Z");
        assertThat(messages.get(0).get("endTime").asString()).isEqualTo("2026-05-01T09:00:04.500Z");
        assertThat(messages.get(1).get("text").asString()).isEqualTo("It depends & varies.");
        assertThat(messages.get(1).get("from").get("name").asString()).isEqualTo("Bob");
        assertThat(messages.get(1).get("startTime").asString()).isEqualTo("2026-05-01T09:01:02.250Z");
        assertThat(api.get("/v1/conversations/" + conversationId).body().get("name").asString()).isEqualTo("Weekly");
        JsonNode trackers = api.get("/v1/conversations/" + conversationId + "/trackers").body();
        assertThat(trackers.get(0).get("matches").get(0).get("messageRefs").get(0).get("offset").asInt())
                .isEqualTo(12);

        String srt = """
                1
                00:00:00,000 --> 00:00:02,000
                Carol: Let's talk about the price.

                2
                00:00:02,500 --> 00:00:04,000
                <i>Sounds good.</i>
                """;
        TestApi.Response appended = api.send(HttpMethod.PUT, "/v1/process/text/" + conversationId,
                MediaType.valueOf("application/x-subrip"), srt);
        assertThat(appended.status()).isEqualTo(201);
        assertThat(appended.headers().getLocation()).hasToString("/v1/job/" + appended.body().get("jobId").asString());
        awaitJob(api, appended.body().get("jobId").asString(), "completed");
        messages = api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages");
        assertThat(texts(api.get("/v1/conversations/" + conversationId + "/messages").body()))
                .containsExactly("What is the price of this?", "It depends & varies.", "Let's talk about the price.",
                        "Sounds good.");
        assertThat(messages.get(2).get("from").get("name").asString()).isEqualTo("Carol");
        assertThat(messages.get(3).has("from")).isFalse();
        // the conversation was created with startTime, but this part has none: its cues count from the creation
        Instant createdOn = Instant.parse(api.get("/v1/conversations/" + conversationId).body().get("createdOn")
                .asString());
        assertThat(Instant.parse(messages.get(3).get("startTime").asString())).isEqualTo(createdOn.plusMillis(2500));

        TestApi.Response broken = api.send(HttpMethod.POST, "/v1/process/text", MediaType.valueOf("text/vtt"),
                "WEBVTT\n\n00:00:01 --> later\nhello\n");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body().get("message").asString()).contains("line 3");
        TestApi.Response notVtt = api.send(HttpMethod.POST, "/v1/process/text", MediaType.valueOf("text/vtt"),
                "1\n00:00:00,000 --> 00:00:02,000\nhello\n");
        assertThat(notVtt.status()).isEqualTo(400);
        assertThat(notVtt.body().get("errors").get(0).get("field").asString()).isEqualTo("body");
        TestApi.Response badHook = api.send(HttpMethod.POST, "/v1/process/text?webhookUrl=file:///etc/passwd",
                MediaType.valueOf("application/x-subrip"), srt);
        assertThat(badHook.status()).isEqualTo(400);
        assertThat(badHook.body().get("errors").get(0).get("field").asString()).isEqualTo("webhookUrl");
    }

    /**
     * A user audit: WebVTT and SRT uploads without {@code startTime} were dated 1 January 1970 (cue offsets read from
     * the epoch). Cue times now count from the conversation's creation, the moment it was submitted, and the parts
     * appended to it without {@code startTime} count from the same moment, so one recording stays on one timeline.
     */
    @Test
    void transcriptCuesWithoutStartTimeCountFromTheConversationsCreation() {
        TestApi api = newAccount();
        Instant before = Instant.now();
        TestApi.Response accepted = api.send(HttpMethod.POST, "/v1/process/text", MediaType.valueOf("text/vtt"), """
                WEBVTT

                00:00:01.000 --> 00:00:04.000
                Ann: Hello there.

                00:01:00.000 --> 00:01:02.500
                Bob: Goodbye now.
                """);
        assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(201);
        Instant after = Instant.now();
        String conversationId = accepted.body().get("conversationId").asString();
        awaitJob(api, accepted.body().get("jobId").asString(), "completed");

        JsonNode conversation = api.get("/v1/conversations/" + conversationId).body();
        Instant createdOn = Instant.parse(conversation.get("createdOn").asString());
        assertThat(createdOn).isBetween(before.minusSeconds(1), after.plusSeconds(1));
        JsonNode messages = api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages");
        assertThat(Instant.parse(messages.get(0).get("startTime").asString())).isEqualTo(createdOn.plusSeconds(1));
        assertThat(Instant.parse(messages.get(0).get("endTime").asString())).isEqualTo(createdOn.plusSeconds(4));
        assertThat(Instant.parse(messages.get(1).get("startTime").asString())).isEqualTo(createdOn.plusSeconds(60));
        assertThat(Instant.parse(conversation.get("startTime").asString())).isEqualTo(createdOn.plusSeconds(1));

        TestApi.Response appended = api.send(HttpMethod.PUT, "/v1/process/text/" + conversationId,
                MediaType.valueOf("application/x-subrip"), """
                1
                00:02:00,000 --> 00:02:01,000
                Ann: One more thing.
                """);
        assertThat(appended.status()).isEqualTo(201);
        awaitJob(api, appended.body().get("jobId").asString(), "completed");
        messages = api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages");
        assertThat(Instant.parse(messages.get(2).get("startTime").asString())).isEqualTo(createdOn.plusSeconds(120));
        assertThat(Instant.parse(messages.get(2).get("endTime").asString())).isEqualTo(createdOn.plusSeconds(121));
    }

    /**
     * A user audit: a request with a blank message and an unknown tracker got only the message's violation, and the
     * tracker's only once that was fixed; the webhook destination came third. All of them now come at once.
     */
    @Test
    void messageTrackerAndWebhookViolationsAreReportedTogether() {
        TestApi api = newAccount();
        TestApi.Response refused = api.post("/v1/process/text", """
                {"webhookUrl": "http://10.1.2.3/hook", "trackers": [{"id": "no-such-tracker"}],
                 "messages": [{"payload": {"content": " "}}]}""");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactly("messages[0].payload.content", "trackers[0].id", "webhookUrl");

        String conversationId = api.post("/v1/process/text", "{\"messages\": [{\"payload\": {\"content\": \"a\"}}]}")
                .body().get("conversationId").asString();
        TestApi.Response append = api.put("/v1/process/text/" + conversationId, """
                {"trackers": [{"id": "no-such-tracker"}], "messages": []}""");
        assertThat(append.status()).isEqualTo(400);
        assertThat(append.body().get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactly("messages", "trackers[0].id");
        int stored = jdbc.sql("select count(*) from conversation where account_id = :a")
                .param("a", UUID.fromString(api.accountId())).query(Integer.class).single();
        assertThat(stored).isOne();
    }

    /**
     * A user audit: an unknown {@code trackerId=} of a transcript upload was reported as {@code trackers[0].id}, a
     * field the request does not have.
     */
    @Test
    void aTranscriptsUnknownTrackerIdIsNamedByItsQueryParameter() {
        TestApi api = newAccount();
        String pricing = createTracker(api, "Pricing", "price");
        TestApi.Response refused = api.send(HttpMethod.POST, "/v1/process/text?trackerId=" + pricing
                + "&trackerId=no-such-tracker", MediaType.valueOf("text/vtt"), "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors")).hasSize(1);
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("trackerId");
        assertThat(refused.body().get("errors").get(0).get("message").asString()).contains("no-such-tracker");
    }

    /**
     * A wire audit: a PUT to a live stream's conversation was accepted; its messages slipped in between the
     * stream's, which then placed its next messages one position too early and decided their end windows without
     * context. Only the stream adds messages to a streamed conversation.
     */
    @Test
    void aStreamedConversationIsNotAppendedTo() {
        TestApi api = newAccount();
        URI uri = URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + api.token());
        try (TestSocket socket = TestSocket.open(uri, Map.of())) {
            socket.send("{\"type\":\"start_request\",\"trackers\":[]}");
            socket.next(); // started_listening
            String conversationId = socket.next().get("message").get("data").get("conversationId").asString();
            socket.next(); // recognition_started
            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"Hello.\"}}]}");
            assertThat(socket.next().get("type").asString()).isEqualTo("message_response");

            TestApi.Response json = api.put("/v1/process/text/" + conversationId,
                    "{\"messages\": [{\"payload\": {\"content\": \"Appended.\"}}]}");
            TestApi.Response transcript = api.send(HttpMethod.PUT, "/v1/process/text/" + conversationId,
                    MediaType.valueOf("text/vtt"), "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAppended.\n");
            for (TestApi.Response refused : List.of(json, transcript)) {
                assertThat(refused.status()).as(String.valueOf(refused.body())).isEqualTo(409);
                assertThat(refused.body().get("type").asString()).endsWith("/streamed-conversation");
                assertThat(refused.body().get("detail").asString()).contains(conversationId, "POST /v1/process/text");
            }

            socket.send("{\"type\":\"message_request\",\"messages\":[{\"payload\":{\"content\":\"Goodbye.\"}}]}");
            assertThat(socket.next().get("type").asString()).isEqualTo("message_response");
            assertThat(texts(api.get("/v1/conversations/" + conversationId + "/messages").body()))
                    .containsExactly("Hello.", "Goodbye.");
            int jobs = jdbc.sql("select count(*) from job where conversation_id = :c").param("c", conversationId)
                    .query(Integer.class).single();
            assertThat(jobs).isZero();
        }
    }

    /**
     * A wire audit: {@code ?trackerId=} (an unset shell variable in the URL) bound as no id at all and was taken as
     * {@code "trackers": []}: a 201 and a completed job that tracked nothing, so the client saw no hits and no error.
     */
    @Test
    void anEmptyTrackerIdOfATranscriptIsRefusedNotTakenAsNoTrackers() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        String transcript = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nwhat is the price\n";
        for (String path : List.of("/v1/process/text?trackerId=", "/v1/process/text?name=Weekly&trackerId=")) {
            TestApi.Response refused = api.send(HttpMethod.POST, path, MediaType.valueOf("text/vtt"), transcript);
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.body().get("errors")).hasSize(1);
            assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("trackerId");
        }
        String conversationId = api.send(HttpMethod.POST, "/v1/process/text", MediaType.valueOf("text/vtt"),
                transcript).body().get("conversationId").asString();
        TestApi.Response append = api.send(HttpMethod.PUT, "/v1/process/text/" + conversationId + "?trackerId=",
                MediaType.valueOf("text/vtt"), transcript);
        assertThat(append.status()).isEqualTo(400);
        assertThat(append.body().get("errors").get(0).get("field").asString()).isEqualTo("trackerId");
        int stored = jdbc.sql("select count(*) from conversation where account_id = :a")
                .param("a", UUID.fromString(api.accountId())).query(Integer.class).single();
        assertThat(stored).as("only the conversation submitted without trackerId").isOne();
        assertThat(api.get("/v1/conversations/" + conversationId + "/messages").body().get("messages")).hasSize(1);
    }

    /**
     * A user audit: a transcript saved in a Windows code page (common for SRT files) and sent without a charset was
     * stored with U+FFFD in place of its accents, and an upload without a body was told that it was "not JSON".
     */
    @Test
    void transcriptBytesAreDecodedByTheirCharsetAndInvalidOnesAreRefused() throws Exception {
        TestApi api = newAccount();
        byte[] latin1 = "1\n00:00:01,000 --> 00:00:02,000\nZoë: Un café, s'il vous plaît.\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> refused = sendBytes(api, "POST", "/v1/process/text", "application/x-subrip", latin1);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode problem = TestApi.json(refused.body());
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("body");
        assertThat(problem.get("errors").get(0).get("message").asString()).startsWith("line 3 is not valid UTF-8");

        HttpResponse<String> accepted = sendBytes(api, "POST", "/v1/process/text",
                "application/x-subrip; charset=windows-1252", latin1);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        JsonNode ids = TestApi.json(accepted.body());
        awaitJob(api, ids.get("jobId").asString(), "completed");
        JsonNode message = api.get("/v1/conversations/" + ids.get("conversationId").asString() + "/messages").body()
                .get("messages").get(0);
        assertThat(message.get("text").asString()).isEqualTo("Un café, s'il vous plaît.");
        assertThat(message.get("from").get("name").asString()).isEqualTo("Zoë");

        HttpResponse<String> empty = sendBytes(api, "POST", "/v1/process/text", "text/vtt", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(TestApi.json(empty.body()).get("message").asString())
                .isEqualTo("body: is required: send the transcript as the request body");
        int stored = jdbc.sql("select count(*) from conversation where account_id = :a")
                .param("a", UUID.fromString(api.accountId())).query(Integer.class).single();
        assertThat(stored).isOne();
    }

    private HttpResponse<String> sendBytes(TestApi api, String method, String path, String contentType, byte[] body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + api.token()).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * A user audit: an append's {@code name} was ignored, and an append naming no trackers was refused with
     * {@code trackers[0].id} (a field it did not send) once a tracker the conversation's first job referenced had been
     * deleted. The name now renames the conversation, and the kept selection applies the trackers that still exist.
     */
    @Test
    void anAppendRenamesTheConversationAndKeepsTheSelectionOfTrackersThatStillExist() {
        TestApi api = newAccount();
        String pricing = createTracker(api, "Pricing", "price");
        String budget = createTracker(api, "Budget", "no budget");
        TestApi.Response first = api.post("/v1/process/text", """
                {"name": "Draft", "trackers": [{"id": "%s"}, {"id": "%s"}],
                 "messages": [{"payload": {"content": "What is the price?"}}]}""".formatted(pricing, budget));
        String conversationId = first.body().get("conversationId").asString();
        awaitJob(api, first.body().get("jobId").asString(), "completed");
        assertThat(api.send(HttpMethod.DELETE, "/v1/manage/trackers/" + budget, null, null).status()).isEqualTo(200);

        TestApi.Response appended = api.put("/v1/process/text/" + conversationId, """
                {"name": "Call with Ann", "messages": [{"payload": {"content": "We have no budget. The price is high."}}]}""");
        assertThat(appended.status()).as(String.valueOf(appended.body())).isEqualTo(201);
        awaitJob(api, appended.body().get("jobId").asString(), "completed");

        assertThat(api.get("/v1/conversations/" + conversationId).body().get("name").asString())
                .isEqualTo("Call with Ann");
        JsonNode trackers = api.get("/v1/conversations/" + conversationId + "/trackers").body();
        assertThat(trackers.valueStream().map(t -> t.get("id").asString())).containsExactly(pricing);
        assertThat(trackers.get(0).get("matches").get(0).get("messageRefs").valueStream()
                .map(ref -> ref.get("text").asString()))
                .containsExactly("What is the price?", "The price is high.");
        TestApi.Response unnamed = api.put("/v1/process/text/" + conversationId,
                "{\"messages\": [{\"payload\": {\"content\": \"Bye.\"}}]}");
        awaitJob(api, unnamed.body().get("jobId").asString(), "completed");
        assertThat(api.get("/v1/conversations/" + conversationId).body().get("name").asString())
                .isEqualTo("Call with Ann");
        // a name blank in any script is no name: the conversation keeps its own (the job audit)
        TestApi.Response blank = api.put("/v1/process/text/" + conversationId,
                "{\"name\": \" \\u00a0\\u200b \", \"messages\": [{\"payload\": {\"content\": \"Bye again.\"}}]}");
        assertThat(blank.status()).as(String.valueOf(blank.body())).isEqualTo(201);
        awaitJob(api, blank.body().get("jobId").asString(), "completed");
        assertThat(api.get("/v1/conversations/" + conversationId).body().get("name").asString())
                .isEqualTo("Call with Ann");
    }

    /** A conversation's name is stored as tracker names are: trimmed, spaces collapsed; a blank one is no name. */
    @Test
    void aConversationNameIsTrimmedAndABlankOneIsNoName() {
        TestApi api = newAccount();
        TestApi.Response spaced = api.post("/v1/process/text", """
                {"name": "  Call   with\u00a0Ann ", "messages": [{"payload": {"content": "Hello."}}]}""");
        assertThat(spaced.status()).isEqualTo(201);
        assertThat(api.get("/v1/conversations/" + spaced.body().get("conversationId").asString()).body()
                .get("name").asString()).isEqualTo("Call with Ann");
        TestApi.Response blank = api.post("/v1/process/text", """
                {"name": "   ", "messages": [{"payload": {"content": "Hello."}}]}""");
        assertThat(blank.status()).isEqualTo(201);
        JsonNode conversation = api.get("/v1/conversations/" + blank.body().get("conversationId").asString()).body();
        assertThat(conversation.path("name").isMissingNode() || conversation.get("name").isNull())
                .as(conversation.toString()).isTrue();
    }

    /**
     * A user audit: {@code max-messages} bounds the submitted messages, but each is split into sentences, and one
     * 1 MB message of "Ok. " made a job of 250,000 sentences (about 40 minutes of both cores). The sentences of one
     * request are now bounded too ({@code trackers.jobs.max-sentences}, 50,000).
     */
    @Test
    void aRequestWhoseMessagesSplitIntoTooManySentencesIsRefused() {
        TestApi api = newAccount();
        String tooMany = "Ok. ".repeat(50_001);
        TestApi.Response refused = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"" + tooMany + "\"}}]}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("messages");
        assertThat(refused.body().get("message").asString())
                .startsWith("messages: the messages hold 50001 sentences, at most 50000 per request");

        TestApi.Response transcript = api.send(HttpMethod.POST, "/v1/process/text", MediaType.valueOf("text/vtt"),
                "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + tooMany + "\n");
        assertThat(transcript.status()).isEqualTo(400);
        assertThat(transcript.body().get("errors").get(0).get("field").asString()).isEqualTo("body");
        int stored = jdbc.sql("select count(*) from conversation where account_id = :a")
                .param("a", UUID.fromString(api.accountId())).query(Integer.class).single();
        assertThat(stored).isZero();

        TestApi.Response enough = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"" + "Ok. ".repeat(2_000) + "\"}}]}");
        assertThat(enough.status()).isEqualTo(201);
        awaitJob(api, enough.body().get("jobId").asString(), "completed");
    }
}
