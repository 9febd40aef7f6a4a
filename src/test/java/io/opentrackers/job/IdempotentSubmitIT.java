package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * A client that lost the answer of a submit or an append (a timeout, a dropped connection) sends it again with the
 * same {@code Idempotency-Key} and gets the first answer: one job, one copy of the messages. Without the key an
 * append sent twice stored its messages twice, and a submit made a second conversation.
 */
class IdempotentSubmitIT extends AsyncApiTestSupport {

    private static final String CALL = """
            {"name": "Call", "messages": [{"payload": {"content": "How much does it cost per seat?"}},
             {"payload": {"content": "The price depends on volume."}}]}""";
    private static final String MORE = """
            {"messages": [{"payload": {"content": "Is there a discount for a year?"}}]}""";

    @Test
    void aSubmitSentAgainWithItsKeyGetsTheFirstAnswerAndMakesNoSecondJob() {
        TestApi api = newAccount();
        String key = UUID.randomUUID().toString();
        TestApi.Response first = submit(api, CALL, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.headers().getFirst(JobController.REPLAYED)).isNull();

        TestApi.Response again = submit(api, CALL, key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().getLocation()).isEqualTo(first.headers().getLocation());
        assertThat(again.headers().getFirst(JobController.REPLAYED)).isEqualTo("true");
        assertThat(conversations(api)).isEqualTo(1);
        assertThat(jobs(api)).isEqualTo(1);

        // the draft writes the key as a structured-field string: quoted, it is the same key
        assertThat(submit(api, CALL, "\"" + key + "\"").body()).isEqualTo(first.body());
        // without a key, or with another, the same body is a new request
        assertThat(api.post("/v1/process/text", CALL).body()).isNotEqualTo(first.body());
        assertThat(submit(api, CALL, UUID.randomUUID().toString()).body()).isNotEqualTo(first.body());
        assertThat(conversations(api)).isEqualTo(3);
    }

    @Test
    void anAppendSentAgainWithItsKeyStoresItsMessagesOnce() {
        TestApi api = newAccount();
        String conversationId = api.post("/v1/process/text", CALL).body().get("conversationId").asString();
        String key = UUID.randomUUID().toString();
        TestApi.Response first = append(api, conversationId, MORE, key);
        assertThat(first.status()).isEqualTo(201);
        TestApi.Response again = append(api, conversationId, MORE, key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().getFirst(JobController.REPLAYED)).isEqualTo("true");
        awaitJob(api, first.body().get("jobId").asString(), "completed");
        assertThat(texts(api.get("/v1/conversations/" + conversationId + "/messages").body())).containsExactly(
                "How much does it cost per seat?", "The price depends on volume.", "Is there a discount for a year?");

        // the same key for another conversation's append is another request
        String other = api.post("/v1/process/text", CALL).body().get("conversationId").asString();
        assertThat(append(api, other, MORE, key).status()).isEqualTo(422);
    }

    @Test
    void aKeySentAgainWithAnotherRequestIsRefusedAndStoresNothing() {
        TestApi api = newAccount();
        String key = UUID.randomUUID().toString();
        String jobId = submit(api, CALL, key).body().get("jobId").asString();

        TestApi.Response refused = submit(api, CALL.replace("per seat", "per user"), key);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.headers().getContentType()).hasToString("application/problem+json");
        assertThat(refused.body().get("type").asString())
                .isEqualTo("https://opentrackers.io/problems/idempotency-key-reused");
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(refused.body().get("message").asString()).isEqualTo("Idempotency-Key was sent before with another "
                + "request (job '" + jobId + "'); a key stands for one request: make a new key for a new request, "
                + "and send a retry exactly as the first");
        assertThat(conversations(api)).isEqualTo(1);
        assertThat(jobs(api)).isEqualTo(1);
    }

    @Test
    void aKeyThatCannotBeOneIsRefusedNamingTheHeader() {
        TestApi api = newAccount();
        for (Map.Entry<String, String> bad : Map.of("", "was empty", "k".repeat(256), "was 256 characters",
                "a\tb", "was a text with other characters").entrySet()) {
            TestApi.Response refused = submit(api, CALL, bad.getKey());
            assertThat(refused.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
            assertThat(refused.body().get("errors").get(0).get("message").asString()).isEqualTo("must be 1 to 255 "
                    + "printable ASCII characters (a UUID made for the request, for example), " + bad.getValue());
        }
        // given twice (the values reach the service joined by a comma), or a quoted key cut short
        for (String[] bad : new String[][] {{"x1", "x2"}, {"\"abc"}}) {
            TestApi.Response refused = api.send(HttpMethod.POST, "/v1/process/text", MediaType.APPLICATION_JSON, CALL,
                    Map.of("Idempotency-Key", String.join(",", bad)));
            assertThat(refused.status()).as(String.join(" | ", bad)).isEqualTo(400);
            assertThat(refused.body().get("errors").get(0).get("message").asString()).isEqualTo("must be one key, "
                    + "given once, without commas or quotes inside (a UUID made for the request, for example)");
        }
        assertThat(conversations(api)).isZero();
    }

    /** Keys are the account's own: another account's request with the same key is its own request. */
    @Test
    void anotherAccountsKeyIsAnotherRequest() {
        TestApi api = newAccount();
        TestApi other = newAccount();
        String key = UUID.randomUUID().toString();
        String mine = submit(api, CALL, key).body().get("jobId").asString();
        TestApi.Response theirs = submit(other, CALL, key);
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.body().get("jobId").asString()).isNotEqualTo(mine);
        assertThat(theirs.headers().getFirst(JobController.REPLAYED)).isNull();
    }

    /** Copies sent at once (a client that retried before its first attempt was answered): one job. */
    @Test
    void copiesSentAtOnceMakeOneJob() throws Exception {
        TestApi api = newAccount();
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<TestApi.Response>> copies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                copies.add(() -> submit(api, CALL, key));
            }
            List<TestApi.Response> answers = new ArrayList<>();
            for (Future<TestApi.Response> answer : pool.invokeAll(copies)) {
                answers.add(answer.get());
            }
            assertThat(answers).extracting(TestApi.Response::status).containsOnly(201);
            Set<String> jobIds = answers.stream().map(answer -> answer.body().get("jobId").asString())
                    .collect(Collectors.toSet());
            assertThat(jobIds).hasSize(1);
            assertThat(answers.stream().filter(answer -> answer.headers().getFirst(JobController.REPLAYED) == null))
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(conversations(api)).isEqualTo(1);
    }

    /**
     * A retry of a job that filled the account's limit of active jobs (3 in the tests) is its answer, not a 429: the
     * job it asks for is the one counted.
     */
    @Test
    void aRetryIsAnsweredEvenWhenItsOwnJobFillsTheAccount() {
        TestApi api = newAccount();
        detector.hold();
        try {
            String key = UUID.randomUUID().toString();
            String held = "{\"messages\": [{\"payload\": {\"content\": \"Waiting [hold] for the price.\"}}]}";
            submit(api, held, null);
            submit(api, held, null);
            TestApi.Response third = submit(api, held, key);
            assertThat(third.status()).isEqualTo(201);
            assertThat(submit(api, held, null).status()).isEqualTo(429);
            assertThat(submit(api, held, key).body()).isEqualTo(third.body());
        } finally {
            detector.release();
        }
    }

    @Test
    void aTranscriptSentAgainWithItsKeyGetsTheFirstAnswer() {
        TestApi api = newAccount();
        String vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>How much does it cost?\n";
        String key = UUID.randomUUID().toString();
        TestApi.Response first = api.send(HttpMethod.POST, "/v1/process/text", MediaType.valueOf("text/vtt"), vtt,
                Map.of("Idempotency-Key", key));
        TestApi.Response again = api.send(HttpMethod.POST, "/v1/process/text", MediaType.valueOf("text/vtt"), vtt,
                Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(conversations(api)).isEqualTo(1);
    }

    private static TestApi.Response submit(TestApi api, String body, String key) {
        return api.send(HttpMethod.POST, "/v1/process/text", MediaType.APPLICATION_JSON, body,
                key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private static TestApi.Response append(TestApi api, String conversationId, String body, String key) {
        return api.send(HttpMethod.PUT, "/v1/process/text/" + conversationId, MediaType.APPLICATION_JSON, body,
                Map.of("Idempotency-Key", key));
    }

    private int conversations(TestApi api) {
        return jdbc.sql("select count(*) from conversation where account_id = cast(:account as uuid)")
                .param("account", api.accountId()).query(Integer.class).single();
    }

    private int jobs(TestApi api) {
        return jdbc.sql("select count(*) from job where account_id = cast(:account as uuid)")
                .param("account", api.accountId()).query(Integer.class).single();
    }
}
