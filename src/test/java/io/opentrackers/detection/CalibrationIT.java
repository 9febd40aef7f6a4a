package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestApi.Response;
import io.opentrackers.account.AccountId;
import io.opentrackers.matching.ReferenceSentences;
import io.opentrackers.tracker.TrackerCalibrations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Thresholds calibrated from the tracker set and the shipped reference sentences, with the real model and a real
 * PostgreSQL: a tracker alone is calibrated (no fixed prior), and managed trackers' thresholds are stored with the
 * model id and shown with the tracker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CalibrationIT {

    private static final String BUDGET = """
            {"name": "Budget", "vocabulary": ["I dont have any money", "no budget left", "we can't afford it",
             "money is tight", "we have no money left"]}""";
    private static final String PRICING = """
            {"name": "Pricing", "vocabulary": ["how much does it cost", "it is too expensive for us",
             "what is the price", "can we get a discount", "that is over what we can spend"]}""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TrackerCalibrations calibrations;

    private TestApi account() {
        return TestApi.newAccount("http://localhost:" + port);
    }

    private static String messages(String... texts) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < texts.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"m").append(i).append("\",\"payload\":{\"content\":\"")
                    .append(texts[i]).append("\"},\"from\":{\"name\":\"Ann\"}}");
        }
        return json.append("]").toString();
    }

    @Test
    void aSingleInlineTrackerIsCalibratedOnTheReferenceSentencesAndFiresOnlyOnItsTopic() {
        Response response = account().post("/v1/match", "{\"messages\":" + messages(
                "Honestly, I ran out of budget.", "Can you hear me now?", "Let me share my screen.")
                + ",\"trackers\":[" + BUDGET + "],\"explain\":true}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode trackers = response.body().get("trackers");
        assertThat(trackers).hasSize(1);
        List<String> hit = trackers.get(0).get("matches").valueStream()
                .flatMap(match -> match.get("messageRefs").valueStream()).map(ref -> ref.get("id").asString())
                .distinct().toList();
        assertThat(hit).containsExactly("m0");
        // the threshold is the tracker's own, not the former fixed prior 0.77 that this sentence (0.7378) missed
        JsonNode budget = response.body().get("explanations").get(0).get("candidates").get(0);
        assertThat(budget.get("fired").asBoolean()).isTrue();
        assertThat(budget.get("threshold").asDouble()).isLessThan(budget.get("score").asDouble())
                .isNotEqualTo(0.77);
        for (int m = 1; m <= 2; m++) {
            JsonNode silent = response.body().get("explanations").get(m).get("candidates").get(0);
            assertThat(silent.get("fired").asBoolean()).as("message m%d", m).isFalse();
            assertThat(silent.get("reason").asString()).isEqualTo("below-threshold");
            assertThat(silent.get("threshold").asDouble()).isEqualTo(budget.get("threshold").asDouble());
        }
    }

    @Test
    void aTrackerAloneLosesSmallTalkToTheReferenceSentencesButKeepsItsTopic() {
        // a user's first tracker, tried alone: its threshold lets 2.5 % of everyday talk through by construction,
        // and these sentences are among it ("What time is it?" scored 0.69 against "what is the price", threshold 0.60)
        Response response = account().post("/v1/match", "{\"messages\":" + messages(
                "What time is it?", "hello", "Sounds good.", "How much would ten seats cost us?",
                "Is there any discount if we pay for the year?")
                + ",\"trackers\":[" + PRICING + "],\"explain\":true}");

        assertThat(response.status()).isEqualTo(200);
        List<String> hit = response.body().get("trackers").valueStream()
                .flatMap(tracker -> tracker.get("matches").valueStream())
                .flatMap(match -> match.get("messageRefs").valueStream()).map(ref -> ref.get("id").asString())
                .distinct().sorted().toList();
        assertThat(hit).containsExactly("m3", "m4");
        JsonNode time = response.body().get("explanations").get(0).get("candidates").get(0);
        assertThat(time.get("fired").asBoolean()).isFalse();
        assertThat(time.get("reason").asString()).isEqualTo("everyday-talk");
        assertThat(time.get("score").asDouble()).as("above its threshold, yet silent")
                .isGreaterThanOrEqualTo(time.get("threshold").asDouble());
        // the explanation quotes the everyday sentence the message was taken for, at least as close as the tracker
        JsonNode everyday = time.get("everydayTalk");
        assertThat(everyday.get("text").asString()).isIn(ReferenceSentences.texts()).containsIgnoringCase("time");
        assertThat(everyday.get("score").asDouble()).isGreaterThanOrEqualTo(time.get("score").asDouble());
        JsonNode seats = response.body().get("explanations").get(3).get("candidates").get(0);
        assertThat(seats.get("reason").asString()).isEqualTo("above-threshold");
        assertThat(seats.has("everydayTalk")).as("only with everyday-talk").isFalse();
    }

    @Test
    void withEnoughOtherTrackersSmallTalkIsLeftToTheClassifierAndThresholds() {
        // three trackers of 10 phrases: each has 20 competing phrases, so the everyday-talk rule is off and the
        // explanation gives the usual reasons
        String pricing10 = PRICING.replace("]}", ", \"price list\", \"monthly fee\", \"cost per seat\","
                + " \"pricing plans\", \"how much is it\"]}");
        String budget10 = BUDGET.replace("]}", ", \"our budget is gone\", \"no money this year\","
                + " \"we are broke\", \"funds are low\", \"budget cuts\"]}");
        String timing = """
                {"name": "Timing", "vocabulary": ["not the right time", "maybe next quarter", "call me next year",
                 "we are too busy now", "after the holidays", "not this month", "later this year", "bad timing",
                 "too early for us", "come back in the spring"]}""";
        Response response = account().post("/v1/match", "{\"messages\":" + messages("What time is it?")
                + ",\"trackers\":[" + pricing10 + "," + budget10 + "," + timing + "],\"explain\":true}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("explanations").get(0).get("candidates").valueStream()
                .map(c -> c.get("reason").asString())).doesNotContain("everyday-talk");
    }

    private static JsonNode awaitTracker(TestApi api, String id, Predicate<JsonNode> ready) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        JsonNode tracker = api.get("/v1/manage/trackers/" + id).body().get("tracker");
        while (!ready.test(tracker) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            tracker = api.get("/v1/manage/trackers/" + id).body().get("tracker");
        }
        assertThat(ready.test(tracker)).as("calibration of %s shown in time: %s", id, tracker).isTrue();
        return tracker;
    }

    private static String create(TestApi api, String json) {
        Response created = api.post("/v1/manage/tracker", json);
        assertThat(created.status()).isEqualTo(201);
        // a write answers before the calibration of the new version exists
        assertThat(created.body().get("tracker").has("calibration")).isFalse();
        return created.body().get("tracker").get("id").asString();
    }

    @Test
    void aManagedTrackersCalibrationIsStoredWithTheModelShownWhenReadAndRecomputedWhenTheSetChanges()
            throws InterruptedException {
        TestApi api = account();
        String budget = create(api, BUDGET);

        JsonNode alone = awaitTracker(api, budget, t -> t.has("calibration")).get("calibration");
        int references = ReferenceSentences.texts().size();
        assertThat(alone.get("model").asString()).matches("bge-small-en-v15-q~[0-9a-f]{8}");
        assertThat(alone.get("evidence").asInt()).isEqualTo(references);
        assertThat(alone.get("threshold").asDouble()).isBetween(0.3, 0.95);
        assertThat(Instant.parse(alone.get("calibratedAt").asString())).isBefore(Instant.now().plusSeconds(1));
        // stored with the model id, so a restart reads the same value (nothing is recomputed until the set changes)
        double stored = jdbc.sql("select threshold from tracker_threshold where tracker_id = ? and model_id = ?")
                .params(budget, alone.get("model").asString()).query(Double.class).single();
        assertThat(stored).isCloseTo(alone.get("threshold").asDouble(), org.assertj.core.data.Offset.offset(5e-5));
        // the list, also by name, shows the same
        JsonNode listed = api.get("/v1/manage/trackers?name=Budget").body().get("trackers").get(0);
        assertThat(listed.get("calibration")).isEqualTo(alone);
        assertThat(api.get("/v1/manage/trackers").body().get("trackers").get(0).get("calibration")).isEqualTo(alone);

        // a neighbouring topic joins the account: Budget's evidence grows by its 5 phrases and its threshold moves
        String pricing = create(api, PRICING);
        JsonNode together = awaitTracker(api, budget,
                t -> t.has("calibration") && t.get("calibration").get("evidence").asInt() == references + 5)
                .get("calibration");
        assertThat(together.get("threshold").asDouble()).isGreaterThan(alone.get("threshold").asDouble());
        assertThat(awaitTracker(api, pricing, t -> t.has("calibration")).get("calibration").get("evidence").asInt())
                .isEqualTo(references + 5);

        // a change of the tracker itself: the PATCH answer has no calibration for the new version until it is computed
        Response patched = api.send(org.springframework.http.HttpMethod.PATCH, "/v1/manage/trackers/" + budget,
                org.springframework.http.MediaType.APPLICATION_JSON,
                "[{\"op\": \"add\", \"path\": \"/sensitivity\", \"value\": 1.0}]");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("tracker").has("calibration")).isFalse();
        // sensitivity 1 lowers it by the spread (0.12)
        JsonNode sensitive = awaitTracker(api, budget, t -> t.has("calibration")).get("calibration");
        assertThat(sensitive.get("threshold").asDouble())
                .isCloseTo(together.get("threshold").asDouble() - 0.12, org.assertj.core.data.Offset.offset(2e-4));

        // the neighbour leaves: its stored calibration goes, and Budget's evidence is the reference sentences again
        assertThat(api.send(org.springframework.http.HttpMethod.DELETE, "/v1/manage/trackers/" + pricing,
                org.springframework.http.MediaType.APPLICATION_JSON, null).status()).isEqualTo(200);
        awaitTracker(api, budget,
                t -> t.has("calibration") && t.get("calibration").get("evidence").asInt() == references);
        assertThat(jdbc.sql("select count(*) from tracker_threshold where tracker_id = ?").param(pricing)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void anAccountsCalibrationIsItsOwn() throws InterruptedException {
        TestApi first = account();
        String firstBudget = create(first, BUDGET);
        create(first, PRICING);
        TestApi second = account();
        String secondBudget = create(second, BUDGET);

        // the other account's Pricing tracker is no evidence for this one's Budget
        JsonNode own = awaitTracker(second, secondBudget, t -> t.has("calibration")).get("calibration");
        assertThat(own.get("evidence").asInt()).isEqualTo(ReferenceSentences.texts().size());
        awaitTracker(first, firstBudget, t -> t.has("calibration")
                && t.get("calibration").get("evidence").asInt() == ReferenceSentences.texts().size() + 5);
        // nor can one account read the other's calibration, through the API or the port
        assertThat(second.get("/v1/manage/trackers/" + firstBudget).status()).isEqualTo(404);
        AccountId secondAccount = new AccountId(UUID.fromString(second.accountId()));
        assertThat(calibrations.calibrationsOf(secondAccount, List.of(firstBudget, secondBudget)))
                .containsOnlyKeys(secondBudget);
    }
}
