package io.opentrackers.web;

import static io.opentrackers.ServiceClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every error is an RFC 9457 problem with {@code message} == {@code detail}; bodies over 1 MB are 413. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemResponsesIT {

    @LocalServerPort
    int port;

    ServiceClient api;
    Account account;

    @BeforeEach
    void setUp() {
        api = new ServiceClient(port);
        account = api.newAccount();
    }

    @Test
    void problemsCarryTheRfc9457MembersAndMessage() {
        assertProblem(api.get(account, "/v1/manage/trackers/missing"), 404, "not-found", "/v1/manage/trackers/missing");
        assertProblem(api.post(account, "/v1/manage/trackers", "{"), 400, "invalid-request", "/v1/manage/trackers");
        assertProblem(api.send("GET", "/v1/manage/trackers", Map.of(), null), 401, "unauthorized",
                "/v1/manage/trackers");
        assertProblem(api.send("POST", "/admin/accounts", Map.of(), "{}"), 403, "forbidden", "/admin/accounts");
    }

    private static void assertProblem(Reply reply, int status, String kind, String instance) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/" + kind);
        assertThat(reply.text("title")).isNotBlank();
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.text("detail")).isNotBlank();
        assertThat(reply.text("message")).isEqualTo(reply.text("detail"));
        assertThat(reply.text("instance")).isEqualTo(instance);
    }

    @Test
    void bodiesOverOneMegabyteAre413WithContentLength() {
        Reply reply = api.post(account, "/v1/manage/trackers", largeJson());
        assertPayloadTooLarge(reply);
    }

    @Test
    void chunkedBodiesOverOneMegabyteAre413() {
        byte[] body = largeJson().getBytes(StandardCharsets.UTF_8);
        // ofInputStream has no known length, so the client sends Transfer-Encoding: chunked
        Reply reply = api.sendRaw("POST", "/v1/manage/trackers", bearer(account),
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertPayloadTooLarge(reply);
        assertThat(api.get(account, "/v1/manage/trackers").json().get("trackers").isEmpty()).isTrue();
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        // 1 MB of JSON that is well-formed but not a valid tracker: the size check must not refuse it
        String padding = "x".repeat(1024 * 1024 - 100);
        Reply reply = api.post(account, "/v1/manage/trackers", "{\"name\":\"" + padding + "\"}");
        assertThat(reply.status()).isEqualTo(400);
    }

    private static void assertPayloadTooLarge(Reply reply) {
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/payload-too-large");
        assertThat(reply.text("message")).isEqualTo(reply.text("detail")).contains("1024 KB");
        assertThat(reply.text("instance")).isEqualTo("/v1/manage/trackers");
    }

    private static String largeJson() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; json.length() < 1_300_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"Tracker ").append(i)
                    .append("\",\"vocabulary\":[\"one\",\"two\",\"three\",\"four\",\"five\"]}");
        }
        return json.append("]").toString();
    }
}
