package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The whole path with the real matching engine and model: managed trackers, submit, poll, hits by meaning
 * (offset -1) and by literal phrase (offset = index of the phrase).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AsyncEndToEndIT {

    @LocalServerPort
    int port;

    @Test
    void findsHitsByMeaningAndByLiteralPhraseWithTheRealModel() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        String money = AsyncApiTestSupport.createTracker(api, "Money", "I don't have any money", "we can't afford it",
                "there is no money left", "it is too expensive for us", "our funds are exhausted");
        String pricing = AsyncApiTestSupport.createTracker(api, "Pricing", "price list", "how much does it cost",
                "what is the price", "send me a quote", "pricing plans");

        TestApi.Response accepted = api.post("/v1/process/text", """
                {"messages": [
                  {"payload": {"content": "Honestly we have no budget left."}, "from": {"name": "Ann"}},
                  {"payload": {"content": "Could you share the Price List with me?"}, "from": {"name": "Bob"}},
                  {"payload": {"content": "The weather in Lisbon was lovely last week."}}]}""");
        assertThat(accepted.status()).isEqualTo(201);
        JsonNode job = AsyncApiTestSupport.awaitJob(api, accepted.body().get("jobId").asString(), "completed");
        assertThat(job.get("progress").get("done").asInt()).isEqualTo(3);

        String conversationId = accepted.body().get("conversationId").asString();
        JsonNode trackers = api.get("/v1/conversations/" + conversationId + "/trackers").body();
        Map<String, JsonNode> byId = new HashMap<>();
        trackers.forEach(t -> byId.put(t.get("id").asString(), t));
        assertThat(byId).containsOnlyKeys(money, pricing);

        // no phrase of Money occurs literally: every hit is by meaning, on the budget message only
        List<JsonNode> moneyRefs = refsOf(byId.get(money));
        assertThat(moneyRefs).as(byId.get(money).toString()).isNotEmpty().allSatisfy(ref -> {
            assertThat(ref.get("text").asString()).isEqualTo("Honestly we have no budget left.");
            assertThat(ref.get("offset").asInt()).isEqualTo(-1);
            assertThat(ref.get("score").asDouble()).isBetween(0.0, 1.0);
            assertThat(ref.get("from").get("name").asString()).isEqualTo("Ann");
        });

        JsonNode literal = null;
        for (JsonNode match : byId.get(pricing).get("matches")) {
            if (match.get("value").asString().equals("price list")) {
                literal = match.get("messageRefs").get(0);
            }
        }
        assertThat(literal).as(byId.get(pricing).toString()).isNotNull();
        assertThat(literal.get("text").asString()).isEqualTo("Could you share the Price List with me?");
        assertThat(literal.get("offset").asInt()).isEqualTo(20);
        assertThat(api.get("/v1/conversations/" + conversationId + "/trackers-detected").body()).isEqualTo(trackers);
    }

    private static List<JsonNode> refsOf(JsonNode tracker) {
        List<JsonNode> refs = new ArrayList<>();
        tracker.get("matches").forEach(match -> match.get("messageRefs").forEach(refs::add));
        return refs;
    }
}
