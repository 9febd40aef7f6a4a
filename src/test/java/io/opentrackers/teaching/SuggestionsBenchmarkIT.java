package io.opentrackers.teaching;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.matching.EmbeddingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET …/suggestions} on an account with 100,000 stored sentences and the 34 SGD trackers (10 phrases, 50
 * examples each). The sentences are SGD turns (16,492, repeated with a numbered suffix) written straight into
 * the tables; their vectors are the model's vectors of 2,000 distinct turns, each copy slightly perturbed, because
 * embedding 100,000 texts would take the benchmark's whole time and the endpoint's cost does not depend on what
 * the vectors say. Run on demand (docs/teaching.md):
 * {@code ./mvnw -B verify -Dbenchmark=true -Dit.test=SuggestionsBenchmarkIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SuggestionsBenchmarkIT {

    static final int SENTENCES = 100_000;
    static final int PER_CONVERSATION = 100;
    static final int DISTINCT_VECTORS = 2_000;
    static final Path SGD = Path.of("..", "shared", "data", "sgd");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EmbeddingModel model;

    @Test
    void suggestionsOverAHundredThousandSentences() throws IOException {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        List<String> trackerIds = new ArrayList<>();
        JsonNode trackers = TestApi.json(Files.readString(SGD.resolve("trackers.json")));
        for (JsonNode tracker : trackers) {
            TestApi.Response created = api.post("/v1/manage/trackers", tracker.toString());
            assertThat(created.status()).isEqualTo(201);
            trackerIds.add(created.body().get("tracker").get("id").asString());
        }
        List<String> turns = new ArrayList<>();
        for (String line : Files.readAllLines(SGD.resolve("conversations.jsonl"))) {
            if (!line.isBlank()) {
                TestApi.json(line).get("messages").forEach(m -> turns.add(m.get("text").asString()));
            }
        }
        store(api.accountId(), turns);
        // 50 posted per tracker; a turn said twice ("Yes, please.") is one example (the latest label wins)
        int[] distinctExamples = new int[trackerIds.size()];
        for (int t = 0; t < trackerIds.size(); t++) {
            StringBuilder examples = new StringBuilder("[");
            java.util.Set<String> texts = new java.util.HashSet<>();
            for (int i = 0; i < 50; i++) {
                String text = turns.get((t * 50 + i) * 7 % turns.size());
                texts.add(io.opentrackers.common.TextForms.key(text));
                examples.append(i == 0 ? "" : ",").append("{\"text\": ").append(quote(text))
                        .append(", \"match\": ").append(i % 4 == 0).append('}');
            }
            distinctExamples[t] = texts.size();
            assertThat(api.post("/v1/manage/trackers/" + trackerIds.get(t) + "/examples", examples + "]").status())
                    .isEqualTo(201);
        }

        String path = "/v1/manage/trackers/" + trackerIds.get(0) + "/suggestions?limit=25";
        long started = System.nanoTime();
        TestApi.Response first = api.get(path);
        double coldMs = (System.nanoTime() - started) / 1e6;
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("suggestions")).hasSize(25);

        // three rounds of 60 calls over all trackers, each printed with the machine's load (it is shared)
        for (int round = 1; round <= 3; round++) {
            double[] warm = new double[60];
            for (int i = 0; i < warm.length; i++) {
                String tracker = trackerIds.get(i % trackerIds.size());
                long t0 = System.nanoTime();
                TestApi.Response response = api.get("/v1/manage/trackers/" + tracker + "/suggestions?limit=25");
                warm[i] = (System.nanoTime() - t0) / 1e6;
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body().get("suggestions")).isNotEmpty();
            }
            Arrays.sort(warm);
            System.out.printf("SUGGESTIONS BENCHMARK: %d sentences, %d trackers x 50 examples: first call %.0f ms "
                            + "(reads the stored vectors); round %d, %d calls over all trackers: p50 %.0f ms, p95 %.0f ms, "
                            + "max %.0f ms; load average %s%n",
                    SENTENCES, trackerIds.size(), coldMs, round, warm.length, warm[warm.length / 2],
                    warm[(int) Math.ceil(warm.length * 0.95) - 1], warm[warm.length - 1], loadAverage());
        }
        // the quality estimate decides each example as the detector does (word windows of the long ones included)
        for (int round = 1; round <= 2; round++) {
            double[] quality = new double[trackerIds.size()];
            for (int i = 0; i < quality.length; i++) {
                long t0 = System.nanoTime();
                TestApi.Response response = api.get("/v1/manage/trackers/" + trackerIds.get(i) + "/quality");
                quality[i] = (System.nanoTime() - t0) / 1e6;
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body().get("examples").asInt()).isEqualTo(distinctExamples[i]);
            }
            Arrays.sort(quality);
            System.out.printf("QUALITY BENCHMARK: %d trackers x 50 examples, round %d: p50 %.0f ms, p95 %.0f ms, "
                            + "max %.0f ms; load average %s%n", trackerIds.size(), round, quality[quality.length / 2],
                    quality[(int) Math.ceil(quality.length * 0.95) - 1], quality[quality.length - 1], loadAverage());
        }
    }

    /** The 1-, 5- and 15-minute load averages (Linux), or "n/a". */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** 1,000 conversations of 100 sentences, with their vectors, straight into the tables. */
    private void store(String accountId, List<String> turns) {
        float[][] distinct = model.embed(turns.subList(0, DISTINCT_VECTORS));
        Random random = new Random(16);
        Instant now = Instant.now();
        UUID account = UUID.fromString(accountId);
        for (int c = 0; c < SENTENCES / PER_CONVERSATION; c++) {
            String conversation = UUID.randomUUID().toString();
            // each sentence its own message (turn), as most turns of a call are
            jdbc.update("insert into conversation (id, account_id, name, source, created_on, updated_on, started_on,"
                    + " last_seq, last_turn) values (?, ?, ?, 'async', ?, ?, ?, ?, ?)", conversation, account,
                    "benchmark " + c, Timestamp.from(now), Timestamp.from(now), Timestamp.from(now), PER_CONVERSATION,
                    PER_CONVERSATION);
            List<Object[]> messages = new ArrayList<>();
            List<Object[]> vectors = new ArrayList<>();
            for (int m = 0; m < PER_CONVERSATION; m++) {
                int n = c * PER_CONVERSATION + m;
                String id = UUID.randomUUID().toString();
                String text = turns.get(n % turns.size()) + (n < turns.size() ? "" : " (" + n / turns.size() + ")");
                messages.add(new Object[] {id, conversation, m + 1, m, text, 0, 0, text.length(), Timestamp.from(now)});
                float[] v = distinct[n % DISTINCT_VECTORS].clone();
                double norm = 0;
                for (int d = 0; d < v.length; d++) {
                    v[d] += (float) (random.nextGaussian() * 0.01);
                    norm += v[d] * v[d];
                }
                for (int d = 0; d < v.length; d++) {
                    v[d] /= (float) Math.sqrt(norm);
                }
                vectors.add(new Object[] {id, model.id(), account, io.opentrackers.common.VectorBytes.encode(v)});
            }
            jdbc.batchUpdate("insert into conversation_message (id, conversation_id, seq, turn, text, source_index,"
                    + " char_start, char_end, created_on) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", messages);
            jdbc.batchUpdate("insert into message_vector (message_id, model_id, account_id, vector)"
                    + " values (?, ?, ?, ?)", vectors);
        }
        // what autovacuum does after such growth (measured here about a minute after the inserts): until then the
        // planner believes the tables nearly empty and reads the chosen sentences' messages by scanning all 100,000
        // (~130 ms a request), which is the start of a bulk import, not the steady state the benchmark measures
        jdbc.execute("analyze");
    }
}
