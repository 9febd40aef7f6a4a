package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.matching.EmbeddingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Async throughput, end to end through HTTP: a 1,000-message conversation (real SGD dialogue) against 500
 * trackers × 10 phrases (Banking77 + SGD vocabularies), submit → completed, compared with the raw throughput of
 * the embedding model on the same messages in the same JVM. Run on demand (docs/performance.md):
 * {@code ./mvnw -B verify -Dbenchmark=true -Dit.test=AsyncJobsBenchmarkIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "trackers.jobs.max-active-per-account=10")
class AsyncJobsBenchmarkIT {

    static final int MESSAGES = 1000;
    static final int TRACKERS = 500;
    static final Path DATA = Path.of("..", "shared", "data");
    /** Copies of the 111 source trackers get a distinct trailing word so that all 5,000 phrases differ. */
    static final List<String> SUFFIXES = List.of("", "please", "today", "right now", "for me");

    @LocalServerPort
    int port;

    @Autowired
    EmbeddingModel model;

    @Test
    void thousandMessagesAgainstFiveHundredTrackers() throws IOException {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        createTrackers(api);
        ArrayNode messages = conversation();
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.get("payload").get("content").asString()));

        // the cold run includes embedding the 5,000 phrases (partly done by the background warm-up that tracker
        // creation triggers); raw throughput is measured after it, right before and after the warm run, so that
        // the warm-up does not compete with the raw measurement
        Run cold = run(api, messages);
        double rawBefore = rawMessagesPerSecond(texts);
        Run warm = run(api, messages);
        double rawAfter = rawMessagesPerSecond(texts);
        double raw = (rawBefore + rawAfter) / 2;

        String report = String.format(Locale.ROOT, """
                Async jobs benchmark: %d messages (%d sentence-level), %d trackers x 10 phrases, model %s, %d cores
                  raw model throughput (same messages, same JVM): %.0f messages/s (before %.0f, after %.0f)
                  end to end, first job (includes embedding the vocabulary): %.2f s = %.0f messages/s
                  end to end, second job (vocabulary cached): %.2f s = %.0f messages/s = %.2f x raw
                  hits found: %d
                """, MESSAGES, warm.sentences, TRACKERS, model.id(), Runtime.getRuntime().availableProcessors(),
                raw, rawBefore, rawAfter, cold.seconds, MESSAGES / cold.seconds,
                warm.seconds, MESSAGES / warm.seconds, MESSAGES / warm.seconds / raw, warm.hits);
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-async-jobs.txt"), report);
        assertThat(warm.hits).isPositive();
    }

    record Run(double seconds, int sentences, int hits) {
    }

    private Run run(TestApi api, ArrayNode messages) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("messages", messages);
        long start = System.nanoTime();
        TestApi.Response accepted = api.post("/v1/process/text", body.toString());
        assertThat(accepted.status()).isEqualTo(201);
        String jobId = accepted.body().get("jobId").asString();
        JsonNode job;
        do {
            AsyncApiTestSupport.sleep(20);
            job = api.get("/v1/job/" + jobId).body();
        } while (!job.get("status").asString().equals("completed") && !job.get("status").asString().equals("failed"));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("completed");
        JsonNode trackers = api.get("/v1/conversations/" + accepted.body().get("conversationId").asString()
                + "/trackers").body();
        int hits = 0;
        for (JsonNode tracker : trackers) {
            for (JsonNode match : tracker.get("matches")) {
                hits += match.get("messageRefs").size();
            }
        }
        return new Run(seconds, job.get("progress").get("total").asInt(), hits);
    }

    /** Embeds the messages as the matcher would, in batches of 32, after a short warm-up. */
    private double rawMessagesPerSecond(List<String> texts) {
        model.embed(texts.subList(0, 64));
        long start = System.nanoTime();
        for (int i = 0; i < texts.size(); i += 32) {
            model.embed(texts.subList(i, Math.min(texts.size(), i + 32)));
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static void createTrackers(TestApi api) throws IOException {
        List<JsonNode> sources = new ArrayList<>();
        for (String set : List.of("banking77", "sgd")) {
            TestApi.json(Files.readString(DATA.resolve(set).resolve("trackers.json"))).forEach(sources::add);
        }
        ArrayNode bulk = JsonNodeFactory.instance.arrayNode();
        for (int k = 0; k < TRACKERS; k++) {
            JsonNode source = sources.get(k % sources.size());
            String suffix = SUFFIXES.get(k / sources.size());
            ObjectNode tracker = bulk.addObject();
            tracker.put("name", source.get("name").asString() + "-" + k);
            ArrayNode vocabulary = tracker.putArray("vocabulary");
            source.get("vocabulary").forEach(p -> vocabulary.add(suffix.isEmpty()
                    ? p.asString() : p.asString() + " " + suffix));
            if (bulk.size() == 100) {
                assertThat(api.post("/v1/manage/trackers/bulk", bulk.toString()).status()).isEqualTo(201);
                bulk = JsonNodeFactory.instance.arrayNode();
            }
        }
    }

    /** The first 1,000 messages of the SGD test conversations, with their speakers. */
    private static ArrayNode conversation() throws IOException {
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        for (String line : Files.readAllLines(DATA.resolve("sgd").resolve("conversations.jsonl"))) {
            for (JsonNode message : TestApi.json(line).get("messages")) {
                if (messages.size() == MESSAGES) {
                    return messages;
                }
                ObjectNode m = messages.addObject();
                m.putObject("payload").put("content", message.get("text").asString());
                m.putObject("from").put("name", message.get("speaker").asString());
            }
        }
        return messages;
    }
}
