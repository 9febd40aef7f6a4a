package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestApi.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/match} with the real model: a message's hits and scores do not depend on the messages sharing its
 * request, and a word form of a phrase is a literal hit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MatchDeterminismIT {

    private static final String TRACKERS = """
            [{"name": "Money trouble", "vocabulary": ["I don't have any money", "my account is empty",
              "I can't afford it", "I am short on cash", "we have no money left"]},
             {"name": "Cancellation", "vocabulary": ["cancel my subscription", "I want to quit",
              "end my contract", "close my account", "stop the service"]}]""";

    @LocalServerPort
    int port;

    private static String messages(List<String> texts) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            items.add("{\"id\":\"m" + i + "\",\"payload\":{\"content\":\"" + texts.get(i) + "\"},"
                    + "\"from\":{\"userId\":\"u" + i + "\",\"name\":\"Speaker " + i + "\"}}");
        }
        return "[" + String.join(",", items) + "]";
    }

    /** Every hit on the message with the given text: "tracker / phrase" to its score. */
    private static Map<String, Double> hitsOn(TestApi api, List<String> texts, String text) {
        Response response = api.post("/v1/match", "{\"messages\":" + messages(texts) + ",\"trackers\":" + TRACKERS
                + "}");
        assertThat(response.status()).isEqualTo(200);
        Map<String, Double> hits = new TreeMap<>();
        for (JsonNode tracker : response.body()) {
            for (JsonNode match : tracker.get("matches")) {
                for (JsonNode ref : match.get("messageRefs")) {
                    if (ref.get("text").asString().equals(text)) {
                        hits.put(tracker.get("name").asString() + " / " + match.get("value").asString(),
                                ref.get("score").asDouble());
                    }
                }
            }
        }
        return hits;
    }

    @Test
    void aMessageGetsTheSameHitsAndScoresWhateverSharesItsRequest() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        String budget = "I ran out of budget";
        Map<String, Double> alone = hitsOn(api, List.of(budget), budget);
        assertThat(alone).isNotEmpty();
        // the neighbours of the report, then texts of very different lengths around it
        assertThat(hitsOn(api, List.of(budget, "I want to cancel my membership."), budget)).isEqualTo(alone);
        assertThat(hitsOn(api, List.of("ok", "I still have not received my new card, I ordered it over a week ago"
                + " and nobody answers my emails or my calls.", budget, "Is there a fee for topping up by bank"
                + " transfer?", "hi"), budget)).isEqualTo(alone);
    }

    @Test
    void aWordFormOfAPhraseIsALiteralHitAtItsOccurrence() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        String text = "Please, I am cancelling my subscriptions today.";
        Response response = api.post("/v1/match", "{\"messages\":" + messages(List.of(text)) + ",\"trackers\":"
                + TRACKERS + "}");
        assertThat(response.status()).isEqualTo(200);
        JsonNode literal = null;
        for (JsonNode tracker : response.body()) {
            for (JsonNode match : tracker.get("matches")) {
                if (match.get("value").asString().equals("cancel my subscription")) {
                    literal = match.get("messageRefs").get(0);
                }
            }
        }
        assertThat(literal).as(response.body().toString()).isNotNull();
        int start = text.indexOf("cancelling");
        assertThat(literal.get("offset").asInt()).isEqualTo(start);
        assertThat(literal.get("score").asDouble()).isEqualTo(1.0);
        assertThat(text.substring(literal.get("start").asInt(), literal.get("end").asInt()))
                .isEqualTo("cancelling my subscriptions");
    }
}
