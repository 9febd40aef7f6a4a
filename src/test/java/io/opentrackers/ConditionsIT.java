package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The tracker fields beyond Symbl (speaker, window, exclude) through the Management API, message roles through the
 * Async API and the Conversation API, a job's warning about seconds windows without times, and explanations of
 * {@code POST /v1/match} (real model, real PostgreSQL). How each condition decides hits through every entry point is
 * {@link EntryPointConsistencyIT}'s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConditionsIT {

    private static final String VOCABULARY = """
            ["how much does it cost","the price","pricing plans","what does it cost","is it expensive"]""";

    @LocalServerPort
    int port;

    private TestApi api;

    @BeforeAll
    void account() {
        api = TestApi.newAccount("http://localhost:" + port);
    }

    private static String tracker(String name, String conditions) {
        return "{\"name\":\"" + name + "\",\"vocabulary\":" + VOCABULARY + (conditions.isEmpty() ? "" : "," + conditions)
                + "}";
    }

    @Test
    void theFieldsAreStoredAndReturnedByEveryReadAndDefaultToNoCondition() {
        TestApi.Response created = api.post("/v1/manage/trackers", tracker("Opening", """
                "speaker":"agent","window":{"anchor":"start","seconds":60},"exclude":["never asked","not now"]"""));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        JsonNode tracker = created.body().get("tracker");
        String id = tracker.get("id").asString();
        assertConditions(tracker, "agent", "{\"anchor\":\"start\",\"seconds\":60}", "never asked", "not now");

        assertConditions(api.get("/v1/manage/trackers/" + id).body().get("tracker"), "agent",
                "{\"anchor\":\"start\",\"seconds\":60}", "never asked", "not now");
        assertConditions(api.get("/v1/manage/tracker/" + id).body().get("tracker"), "agent",
                "{\"anchor\":\"start\",\"seconds\":60}", "never asked", "not now");
        assertConditions(api.get("/v1/manage/trackers?name=Opening").body().get("trackers").get(0), "agent",
                "{\"anchor\":\"start\",\"seconds\":60}", "never asked", "not now");
        JsonNode listed = find(api.get("/v1/manage/trackers").body().get("trackers"), id);
        assertConditions(listed, "agent", "{\"anchor\":\"start\",\"seconds\":60}", "never asked", "not now");

        TestApi.Response bulk = api.post("/v1/manage/trackers/bulk", "[" + tracker("Plain", "") + ","
                + tracker("Closing", "\"speaker\":\"customer\",\"window\":{\"anchor\":\"end\",\"messages\":3}") + "]");
        assertThat(bulk.status()).as(bulk.body().toString()).isEqualTo(201);
        assertConditions(bulk.body().get("trackers").get(0), "any", null);
        assertThat(bulk.body().get("trackers").get(0).has("window")).isFalse();
        assertConditions(bulk.body().get("trackers").get(1), "customer", "{\"anchor\":\"end\",\"messages\":3}");
    }

    @Test
    void putReplacesTheConditionsAndEveryChangeBumpsTheVersion() {
        String id = api.post("/v1/manage/trackers", tracker("Replaced", "\"speaker\":\"agent\",\"exclude\":[\"x y\"]"))
                .body().get("tracker").get("id").asString();

        TestApi.Response put = api.put("/v1/manage/trackers/" + id,
                tracker("Replaced", "\"window\":{\"anchor\":\"end\",\"messages\":2}"));

        assertThat(put.status()).isEqualTo(200);
        assertConditions(put.body().get("tracker"), "any", "{\"anchor\":\"end\",\"messages\":2}");
        assertThat(put.body().get("tracker").get("version").asLong()).isEqualTo(2);
        TestApi.Response same = api.put("/v1/manage/trackers/" + id, tracker("Replaced", "\"speaker\":\"customer\""));
        assertThat(same.body().get("tracker").get("version").asLong()).isEqualTo(3);
    }

    @Test
    void patchSetsReplacesAppendsAndRemovesEachCondition() {
        String id = api.post("/v1/manage/trackers", tracker("Patched", "")).body().get("tracker").get("id").asString();

        JsonNode patched = patch(id, """
                [{"op":"add","path":"/speaker","value":"customer"},
                 {"op":"add","path":"/window","value":{"anchor":"start","messages":4}},
                 {"op":"add","path":"/exclude","value":["never asked"]},
                 {"op":"add","path":"/exclude/-","value":"not interested"},
                 {"op":"add","path":"/sensitivity","value":0.7}]""", 200);
        assertConditions(patched, "customer", "{\"anchor\":\"start\",\"messages\":4}", "never asked",
                "not interested");
        assertThat(patched.get("sensitivity").asDouble()).isEqualTo(0.7);
        assertThat(patched.get("version").asLong()).isEqualTo(2);

        patched = patch(id, """
                [{"op":"replace","path":"/window","value":{"anchor":"end","seconds":90}},
                 {"op":"remove","path":"/exclude/0"},
                 {"op":"replace","path":"/speaker","value":"agent"}]""", 200);
        assertConditions(patched, "agent", "{\"anchor\":\"end\",\"seconds\":90}", "not interested");
        assertThat(patched.get("version").asLong()).isEqualTo(3);

        patched = patch(id, """
                [{"op":"remove","path":"/window"},{"op":"remove","path":"/speaker"},
                 {"op":"remove","path":"/exclude"}]""", 200);
        assertConditions(patched, "any", null);
        assertThat(patched.has("window")).isFalse();
        assertThat(patched.get("version").asLong()).isEqualTo(4);
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndNothingChanges() {
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", """
                "speaker":"boss","window":{"anchor":"middle","seconds":0},"exclude":["what?","ok","OK"]""")),
                "speaker", "window.anchor", "window.seconds", "exclude[0]", "exclude[2]");
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", """
                "window":{"anchor":"start","seconds":10,"messages":2}""")), "window");
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", """
                "window":{"anchor":"start"}""")), "window");
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", """
                "window":{"anchor":"end","messages":10001}""")), "window.messages");
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", """
                "window":{"anchor":"end","seconds":1.5}""")), "window.seconds");
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", "\"window\":[60]")), "window");
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", "\"speaker\":7")), "speaker");
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", "\"exclude\":[\"the price\"]")), "exclude[0]");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.add("\"phrase " + i + "\"");
        }
        assertRefused(api.post("/v1/manage/trackers", tracker("Bad", "\"exclude\":[" + String.join(",", tooMany)
                + "]")), "exclude");
        TestApi.Response bulk = api.post("/v1/manage/trackers/bulk", "[" + tracker("Good", "") + ","
                + tracker("Bad", "\"speaker\":\"everyone\"") + "]");
        assertRefused(bulk, "speaker");
        assertThat(bulk.body().get("errors").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(api.get("/v1/manage/trackers?name=Good").body().get("trackers")).isEmpty();
        assertThat(api.get("/v1/manage/trackers?name=Bad").body().get("trackers")).isEmpty();

        String id = api.post("/v1/manage/trackers", tracker("Kept", "\"speaker\":\"agent\"")).body().get("tracker")
                .get("id").asString();
        TestApi.Response patch = api.send(HttpMethod.PATCH, "/v1/manage/trackers/" + id,
                MediaType.valueOf("application/json-patch+json"), """
                        [{"op":"replace","path":"/speaker","value":"boss"},
                         {"op":"add","path":"/exclude/-","value":"what?"},
                         {"op":"replace","path":"/window","value":{"anchor":"end"}}]""");
        assertThat(patch.status()).as(patch.body().toString()).isEqualTo(400);
        assertThat(fields(patch.body())).contains("patch[0].value", "patch[1].value", "patch[2].value");
        assertConditions(api.get("/v1/manage/trackers/" + id).body().get("tracker"), "agent", null);
        assertThat(api.get("/v1/manage/trackers/" + id).body().get("tracker").get("version").asLong()).isEqualTo(1);
    }

    @Test
    void messageRolesAreStoredAndReadBackWithSpeakerRolesFillingInMissingOnes() {
        TestApi.Response job = api.post("/v1/process/text", """
                {"messages":[{"payload":{"content":"Hello, thanks for calling."},"from":{"name":"Ann","role":"agent"}},
                             {"payload":{"content":"Hi. How much does it cost?"},"from":{"userId":"c-7","name":"Bob"}},
                             {"payload":{"content":"Let me check."},"from":{"name":"Ann"}},
                             {"payload":{"content":"Thanks."}}],
                 "speakerRoles":{"c-7":"customer","Ann":"customer"},"trackers":[]}""");
        assertThat(job.status()).as(job.body().toString()).isEqualTo(201);
        waitFor(job.body().get("jobId").asString());

        JsonNode messages = api.get("/v1/conversations/" + job.body().get("conversationId").asString() + "/messages")
                .body().get("messages");
        List<String> roles = new ArrayList<>();
        messages.forEach(m -> roles.add(m.path("from").path("role").asString("-")));
        // the message's own role wins over speakerRoles; a message that names nobody has none
        assertThat(roles).containsExactly("agent", "customer", "customer", "customer", "-");
    }

    /**
     * A first-time user's call recording: the WebVTT line {@code <v Agent>I'll have billing call you back
     * tomorrow.} had no role, so a {@code speaker: agent} tracker never fired on it and analytics counted the call
     * as "Unknown". A speaker named Agent or Customer now has that role, and a transcript's other speakers get
     * theirs from the {@code speakerRoles} query parameter, on a submit and on an append.
     */
    @Test
    void transcriptSpeakersTakeTheRoleTheyAreNamedOrThatSpeakerRolesGives() {
        TestApi call = TestApi.newAccount("http://localhost:" + port);
        assertThat(call.post("/v1/manage/trackers", """
                {"name":"Callback","speaker":"agent","vocabulary":["call you back","get back to you",
                 "ring you tomorrow","follow up by email","send you the details"]}""").status()).isEqualTo(201);
        assertThat(call.post("/v1/manage/trackers", tracker("Pricing", "")).status()).isEqualTo(201);

        TestApi.Response submitted = call.send(HttpMethod.POST, "/v1/process/text?speakerRoles=Ann Lee:agent",
                MediaType.valueOf("text/vtt"), """
                WEBVTT

                00:00:01.000 --> 00:00:04.000
                <v Agent>I'll have billing call you back tomorrow.

                00:00:05.000 --> 00:00:08.000
                <v customer>And how much does it cost per year?

                00:00:09.000 --> 00:00:12.000
                Ann Lee: Our billing team will call you back after lunch.
                """);
        assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(201);
        String conversationId = submitted.body().get("conversationId").asString();
        waitFor(call, submitted.body().get("jobId").asString());
        TestApi.Response appended = call.send(HttpMethod.PUT, "/v1/process/text/" + conversationId
                + "?speakerRoles=Bob:customer", MediaType.valueOf("application/x-subrip"), """
                1
                00:00:13,000 --> 00:00:16,000
                Bob: Fine, so you will call you back tomorrow.

                2
                00:00:17,000 --> 00:00:20,000
                Carol: Is it expensive for small teams?
                """);
        assertThat(appended.status()).as(appended.body().toString()).isEqualTo(201);
        waitFor(call, appended.body().get("jobId").asString());

        List<String> roles = new ArrayList<>();
        call.get("/v1/conversations/" + conversationId + "/messages").body().get("messages")
                .forEach(m -> roles.add(m.path("from").path("name").asString() + "|"
                        + m.path("from").path("role").asString("-")));
        assertThat(roles).containsExactly("Agent|agent", "customer|customer", "Ann Lee|agent", "Bob|customer",
                "Carol|-");
        JsonNode hits = call.get("/v1/conversations/" + conversationId + "/trackers").body();
        assertThat(hitTexts(hits, "Callback")).containsExactlyInAnyOrder("I'll have billing call you back tomorrow.",
                "Our billing team will call you back after lunch.");
        assertThat(hitTexts(hits, "Pricing")).containsExactlyInAnyOrder("And how much does it cost per year?",
                "Is it expensive for small teams?");

        JsonNode figures = call.get("/v1/analytics/trackers").body().get("trackers");
        assertThat(bySpeaker(figures, "Callback")).isEqualTo(TestApi.json(
                "{\"agent\":2,\"customer\":0,\"unknown\":0}"));
        assertThat(bySpeaker(figures, "Pricing")).isEqualTo(TestApi.json(
                "{\"agent\":0,\"customer\":1,\"unknown\":1}"));

        TestApi.Response refused = call.send(HttpMethod.POST, "/v1/process/text?speakerRoles=Ann Lee",
                MediaType.valueOf("text/vtt"), "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn Lee: Hello.\n");
        assertRefused(refused, "speakerRoles");
    }

    private static List<String> hitTexts(JsonNode trackers, String name) {
        List<String> texts = new ArrayList<>();
        for (JsonNode tracker : trackers) {
            if (tracker.get("name").asString().equals(name)) {
                tracker.get("matches").forEach(match -> match.get("messageRefs")
                        .forEach(ref -> texts.add(ref.get("text").asString())));
            }
        }
        return texts.stream().distinct().toList();
    }

    private static JsonNode bySpeaker(JsonNode figures, String tracker) {
        for (JsonNode figure : figures) {
            if (figure.get("name").asString().equals(tracker)) {
                return figure.get("bySpeaker");
            }
        }
        throw new AssertionError("no figures for " + tracker + " in " + figures);
    }

    @Test
    void aJobSaysWhenASecondsWindowCouldNotBeAppliedToMessagesWithoutTimes() {
        TestApi.Response job = api.post("/v1/process/text", """
                {"messages":[{"payload":{"content":"How much does it cost?"},
                              "duration":{"startTime":"2026-01-01T10:00:00Z","endTime":"2026-01-01T10:00:05Z"}},
                             {"payload":{"content":"What does it cost per year?"}}],
                 "trackers":[%s]}""".formatted(tracker("Early", "\"window\":{\"anchor\":\"start\",\"seconds\":30}")));
        JsonNode done = waitFor(job.body().get("jobId").asString());

        assertThat(done.get("warnings")).singleElement().asString()
                .contains("'Early'", "first 30 seconds", "1 of the conversation's 2 messages have no duration times");
        JsonNode hits = api.get("/v1/conversations/" + job.body().get("conversationId").asString() + "/trackers").body();
        assertThat(texts(hits)).containsOnly("How much does it cost?");

        TestApi.Response timed = api.post("/v1/process/text", """
                {"messages":[{"payload":{"content":"How much does it cost?"}}],"trackers":[%s]}"""
                .formatted(tracker("Anywhere", "")));
        assertThat(waitFor(timed.body().get("jobId").asString()).has("warnings")).isFalse();
    }

    @Test
    void explainListsTheBestTrackersOfEachMessageWithTheDecisionThatMadeTheHits() {
        String body = """
                {"messages":[{"id":"a","payload":{"content":"How much does it cost per month?"},
                              "from":{"name":"Ann","role":"agent"}},
                             {"id":"b","payload":{"content":"I want to cancel my subscription today."},
                              "from":{"name":"Bob","role":"customer"}},
                             {"id":"c","payload":{"content":"I never asked what does it cost."},
                              "from":{"name":"Bob","role":"customer"}}],
                 "trackers":[%s,%s,%s],"explain":true}""".formatted(
                tracker("Pricing", "\"exclude\":[\"never asked\"]"),
                tracker("Customer pricing", "\"speaker\":\"customer\""),
                "{\"name\":\"Cancellation\",\"vocabulary\":[\"cancel my subscription\",\"close my account\","
                        + "\"end the contract\",\"stop the service\",\"terminate my plan\"]}");

        TestApi.Response response = api.post("/v1/match", body);

        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        JsonNode explanations = response.body().get("explanations");
        assertThat(explanations).hasSize(3);
        Set<String> fired = new HashSet<>();
        for (JsonNode explanation : explanations) {
            JsonNode candidates = explanation.get("candidates");
            assertThat(candidates.size()).as(explanation.toString()).isGreaterThanOrEqualTo(3);
            double previous = Double.MAX_VALUE;
            for (JsonNode candidate : candidates) {
                assertThat(candidate.get("score").asDouble()).isLessThanOrEqualTo(previous);
                previous = candidate.get("score").asDouble();
                assertThat(candidate.has("trackerId") && candidate.has("name") && candidate.has("phrase")
                        && candidate.has("threshold") && candidate.has("reason")).as(candidate.toString()).isTrue();
                if (candidate.get("fired").asBoolean()) {
                    fired.add(candidate.get("name").asString() + "|" + explanation.get("messageId").asString());
                    assertThat(candidate.get("score").asDouble()).isGreaterThanOrEqualTo(
                            candidate.get("threshold").asDouble());
                }
            }
        }
        assertThat(fired).as("the fired candidates are exactly the hits").isEqualTo(hits(response.body().get("trackers")));
        // c: the excluded phrase keeps Pricing off the sentence, not Customer pricing, which excludes nothing
        assertThat(fired).containsExactlyInAnyOrder("Pricing|a", "Cancellation|b", "Customer pricing|c");
        assertThat(reason(explanations, "a", "Customer pricing")).isEqualTo("speaker");
        assertThat(reason(explanations, "a", "Pricing")).isEqualTo("literal");
        assertThat(reason(explanations, "c", "Pricing")).isEqualTo("excluded");

        JsonNode plain = api.post("/v1/match", body.replace("\"explain\":true", "\"explain\":false")).body();
        assertThat(plain.isArray()).isTrue();
        assertThat(hits(plain)).isEqualTo(fired);
    }

    /**
     * The example of management-api.md: a sentence that says the tracker's topic is not excluded because an excluded
     * wording shares its words; one that says the excluded wording, literally or in other words, is.
     */
    @Test
    void anExcludedPhraseTakesAwayTheSentencesThatSayItNotTheOnesThatSayTheTopic() {
        String body = """
                {"messages":[{"id":"next-month","payload":{"content":"We will switch provider next month."}},
                             {"id":"should","payload":{"content":"I think we should switch provider."}},
                             {"id":"competitor","payload":{"content":"Honestly, we are going with a competitor."}},
                             {"id":"not-planning","payload":{"content":"We are not planning to switch."}},
                             {"id":"not-planning-provider","payload":{"content":"We are not planning to switch provider."}},
                             {"id":"no-plans","payload":{"content":"We have no plans to switch at the moment."}}],
                 "trackers":[{"name":"Switching","vocabulary":["switch provider","move to another company",
                     "change supplier","go with a competitor","leave for someone cheaper"],
                     "exclude":["not planning to switch"]}],
                 "explain":true}""";

        TestApi.Response response = api.post("/v1/match", body);

        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        JsonNode explanations = response.body().get("explanations");
        assertThat(hits(response.body().get("trackers"))).as(explanations.toString())
                .containsExactlyInAnyOrder("Switching|next-month", "Switching|should", "Switching|competitor");
        assertThat(reason(explanations, "not-planning", "Switching")).isEqualTo("excluded");
        assertThat(reason(explanations, "not-planning-provider", "Switching")).isEqualTo("excluded");
        assertThat(reason(explanations, "no-plans", "Switching")).isEqualTo("excluded");
    }

    private JsonNode patch(String id, String operations, int status) {
        TestApi.Response response = api.send(HttpMethod.PATCH, "/v1/manage/trackers/" + id,
                MediaType.valueOf("application/json-patch+json"), operations);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
        return response.body().get("tracker");
    }

    private static void assertConditions(JsonNode tracker, String speaker, String window, String... exclude) {
        assertThat(tracker.get("speaker").asString()).isEqualTo(speaker);
        if (window == null) {
            assertThat(tracker.has("window")).as(tracker.toString()).isFalse();
        } else {
            assertThat(tracker.get("window")).isEqualTo(TestApi.json(window));
        }
        List<String> excluded = new ArrayList<>();
        tracker.get("exclude").forEach(phrase -> excluded.add(phrase.asString()));
        assertThat(excluded).containsExactly(exclude);
    }

    private static void assertRefused(TestApi.Response response, String... fields) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(400);
        assertThat(fields(response.body())).containsExactlyInAnyOrder(fields);
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asString()));
        return fields;
    }

    private static JsonNode find(JsonNode trackers, String id) {
        for (JsonNode tracker : trackers) {
            if (tracker.get("id").asString().equals(id)) {
                return tracker;
            }
        }
        throw new AssertionError("tracker " + id + " not listed");
    }

    private static String reason(JsonNode explanations, String messageId, String tracker) {
        for (JsonNode explanation : explanations) {
            if (explanation.get("messageId").asString().equals(messageId)) {
                for (JsonNode candidate : explanation.get("candidates")) {
                    if (candidate.get("name").asString().equals(tracker)) {
                        return candidate.get("reason").asString();
                    }
                }
            }
        }
        throw new AssertionError(tracker + " not explained for " + messageId + ": " + explanations);
    }

    private static Set<String> hits(JsonNode trackers) {
        Set<String> hits = new HashSet<>();
        for (JsonNode tracker : trackers) {
            for (JsonNode match : tracker.get("matches")) {
                for (JsonNode ref : match.get("messageRefs")) {
                    hits.add(tracker.get("name").asString() + "|" + ref.get("id").asString());
                }
            }
        }
        return hits;
    }

    private static List<String> texts(JsonNode trackers) {
        List<String> texts = new ArrayList<>();
        for (JsonNode tracker : trackers) {
            for (JsonNode match : tracker.get("matches")) {
                for (JsonNode ref : match.get("messageRefs")) {
                    texts.add(ref.get("text").asString());
                }
            }
        }
        return texts;
    }

    private JsonNode waitFor(String jobId) {
        return waitFor(api, jobId);
    }

    private static JsonNode waitFor(TestApi api, String jobId) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode job = api.get("/v1/job/" + jobId).body();
            if (job.get("status").asString().equals("completed")) {
                return job;
            }
            assertThat(job.get("status").asString()).isNotEqualTo("failed");
            assertThat(System.currentTimeMillis()).as("job %s finishes", jobId).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
