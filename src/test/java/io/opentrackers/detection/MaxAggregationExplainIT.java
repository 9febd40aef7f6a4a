package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestApi.Response;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code "explain": true} of {@code POST /v1/match} with the MAX aggregation (a model calibrated for it, or
 * {@code trackers.matching.aggregation=max}): a tracker above its threshold but beyond the margin below the best
 * one names the best one, as the classifier's explanation names its choice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trackers.matching.aggregation=max")
class MaxAggregationExplainIT {

    @LocalServerPort
    int port;

    @Test
    void aTrackerBeyondTheMarginNamesTheBestScoringOne() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        Response response = api.post("/v1/match", """
                {"messages": [{"id": "m1", "payload": {"content": "We cannot afford the price this year."}}],
                 "trackers": [{"name": "Budget", "vocabulary": ["no budget left", "we cannot afford it",
                               "money is tight", "we have no money left", "our budget is gone"]},
                              {"name": "Pricing", "vocabulary": ["how much does it cost", "what is the price",
                               "it is too expensive", "can we get a discount", "pricing plans"]}],
                 "explain": true}""");

        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        JsonNode candidates = response.body().at("/explanations/0/candidates");
        JsonNode budget = candidate(candidates, "Budget");
        JsonNode pricing = candidate(candidates, "Pricing");
        // both above their thresholds, Pricing well beyond the margin (0 for this model) below Budget: only Budget fires
        assertThat(budget.get("fired").asBoolean()).isTrue();
        assertThat(budget.has("chosenInstead")).as("only with not-chosen").isFalse();
        assertThat(pricing.get("score").asDouble()).isGreaterThanOrEqualTo(pricing.get("threshold").asDouble())
                .isLessThan(budget.get("score").asDouble());
        assertThat(pricing.get("reason").asString()).isEqualTo("not-chosen");
        assertThat(pricing.get("chosenInstead")).isEqualTo(TestApi.json(
                "{\"trackerId\": \"" + budget.get("trackerId").asString() + "\", \"name\": \"Budget\"}"));
    }

    private static JsonNode candidate(JsonNode candidates, String name) {
        return candidates.valueStream().filter(c -> c.get("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not listed: " + candidates));
    }
}
