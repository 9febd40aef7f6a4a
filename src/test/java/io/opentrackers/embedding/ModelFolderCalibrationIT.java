package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestApi.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * A user's own model whose descriptor says nothing about calibration: its trackers' thresholds come from the tracker
 * set on that model's cosine scale, as the bundled model's do. The folder holds e5 (no calibration given), whose
 * cosines crowd into 0.75-0.95: small talk scores about 0.77 against a money tracker, so any fixed threshold that is
 * not e5's own fires on everything or nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelFolderCalibrationIT {

    private static final String TRACKERS = """
            [{"name": "Budget", "vocabulary": ["I dont have any money", "no budget left", "we can't afford it",
              "money is tight", "we have no money left"]},
             {"name": "Pricing", "vocabulary": ["how much does it cost", "it is too expensive for us",
              "what is the price", "can we get a discount", "that is over what we can spend"]},
             {"name": "Timing", "vocabulary": ["not the right time", "maybe next quarter", "call me next year",
              "we are too busy now", "after the holidays"]}]""";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void modelFolder(DynamicPropertyRegistry registry) throws IOException {
        Path folder = ModelFolderTest.folderOf(ModelSpec.E5_SMALL_V2_Q, Files.createTempDirectory("model-folder-it"),
                """
                {"id": "my-e5", "pooling": "mean", "prefix": "query: "}""");
        registry.add("trackers.embedding.model-dir", folder::toString);
    }

    @Test
    void aModelWithoutCalibrationGetsThresholdsFromItsTrackerSetOnItsOwnScale() {
        List<String> texts = List.of("Honestly, I ran out of budget.", "How much would ten seats cost us?",
                "Can you hear me now?", "The weather is nice today.", "Let me share my screen.");
        StringBuilder messages = new StringBuilder("[");
        for (int i = 0; i < texts.size(); i++) {
            messages.append(i == 0 ? "" : ",").append("{\"id\":\"m").append(i)
                    .append("\",\"payload\":{\"content\":\"").append(texts.get(i)).append("\"}}");
        }
        Response response = TestApi.newAccount("http://localhost:" + port).post("/v1/match",
                "{\"messages\":" + messages + "],\"trackers\":" + TRACKERS + ",\"explain\":true}");

        assertThat(response.status()).isEqualTo(200);
        Map<String, List<String>> hits = response.body().get("trackers").valueStream().collect(Collectors.toMap(
                tracker -> tracker.get("name").asString(),
                tracker -> tracker.get("matches").valueStream()
                        .flatMap(match -> match.get("messageRefs").valueStream())
                        .map(ref -> ref.get("id").asString()).distinct().sorted().toList()));
        assertThat(hits).containsOnly(Map.entry("Budget", List.of("m0")), Map.entry("Pricing", List.of("m1")));
        for (int m = 2; m < texts.size(); m++) {
            JsonNode best = response.body().get("explanations").get(m).get("candidates").get(0);
            assertThat(best.get("fired").asBoolean()).as("m%d", m).isFalse();
            // on e5's scale small talk is close to everything: above the neutral 0.5, below the tracker's own
            assertThat(best.get("score").asDouble()).as("m%d", m).isGreaterThan(0.5);
        }
        List<Double> thresholds = response.body().get("explanations").get(0).get("candidates").valueStream()
                .map(candidate -> candidate.get("threshold").asDouble()).distinct().toList();
        assertThat(thresholds).as("one threshold per tracker, from its evidence").hasSize(3)
                .allSatisfy(threshold -> assertThat(threshold).isGreaterThan(0.7));
    }

    @Test
    void infoNamesTheFoldersModelWithoutItsPath() {
        String info = RestClient.create("http://localhost:" + port).get()
                .uri("/actuator/info").retrieve().body(String.class);
        assertThat(info).contains("\"id\":\"my-e5\"", "\"source\":\"model folder\"", "\"pooling\":\"mean\"")
                .doesNotContain("model-folder-it");
    }
}
