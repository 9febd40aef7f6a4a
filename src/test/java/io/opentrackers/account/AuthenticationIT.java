package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Tokens, the ways a client may present them, and the operator's admin endpoint. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthenticationIT {

    private static final String TRACKERS = "/v1/manage/trackers";

    @LocalServerPort
    int port;

    ServiceClient api;

    @BeforeEach
    void client() {
        api = new ServiceClient(port);
    }

    @Test
    void tokenGenerateIssuesASignedJwtWithExpiry() {
        Account account = api.newAccount();
        Reply reply = api.send("POST", "/oauth2/token:generate", Map.of(),
                "{\"type\":\"application\",\"appId\":\"" + account.appId() + "\",\"appSecret\":\"" + account.appSecret() + "\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("expiresIn").asLong()).isEqualTo(86400);
        String[] parts = reply.text("accessToken").split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode claims = ServiceClient.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.get("sub").asString()).isEqualTo(account.id());
        long exp = claims.get("exp").asLong();
        assertThat(exp - Instant.now().getEpochSecond()).isBetween(86_300L, 86_400L);
    }

    @Test
    void bearerAndXApiKeyAreBothAccepted() {
        Account account = api.newAccount();
        assertThat(api.send("GET", TRACKERS, Map.of("Authorization", "Bearer " + account.token()), null).status())
                .isEqualTo(200);
        assertThat(api.send("GET", TRACKERS, Map.of("x-api-key", account.token()), null).status()).isEqualTo(200);
    }

    @Test
    void missingBadOrForeignSignedTokensAre401Problems() {
        Account account = api.newAccount();
        String[] parts = account.token().split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        for (Map<String, String> headers : new Map[] {Map.of(), Map.of("Authorization", "Bearer not-a-jwt"),
                Map.of("x-api-key", "garbage"), Map.of("Authorization", "Bearer " + tampered)}) {
            Reply reply = api.send("GET", TRACKERS, headers, null);
            assertThat(reply.status()).as(headers.toString()).isEqualTo(401);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(reply.json().get("status").asInt()).isEqualTo(401);
            assertThat(reply.text("message")).isEqualTo(reply.text("detail")).isNotBlank();
        }
    }

    @Test
    void wrongCredentialsAre401() {
        Account account = api.newAccount();
        Reply wrongSecret = api.send("POST", "/oauth2/token:generate", Map.of(), ServiceClient.JSON.createObjectNode()
                .put("type", "application").put("appId", account.appId()).put("appSecret", "wrong-secret"));
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.contentType()).isEqualTo("application/problem+json");
        assertThat(wrongSecret.text("detail")).isEqualTo("Invalid appId or appSecret");

        Reply unknownApp = api.send("POST", "/oauth2/token:generate", Map.of(), ServiceClient.JSON.createObjectNode()
                .put("type", "application").put("appId", "nobody").put("appSecret", "secret-123"));
        assertThat(unknownApp.status()).isEqualTo(401);
        Reply missing = api.send("POST", "/oauth2/token:generate", Map.of(), "{\"type\":\"application\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text("detail")).isEqualTo("appId: is required");
    }

    @Test
    void adminEndpointNeedsTheOperatorKey() {
        String body = "{\"appId\":\"admin-" + UUID.randomUUID() + "\",\"appSecret\":\"secret-123\"}";

        Reply withoutKey = api.send("POST", "/admin/accounts", Map.of(), body);
        assertThat(withoutKey.status()).isEqualTo(403);
        assertThat(withoutKey.contentType()).isEqualTo("application/problem+json");
        assertThat(api.send("POST", "/admin/accounts", Map.of("X-Operator-Key", "wrong"), body).status())
                .isEqualTo(403);

        Reply created = api.send("POST", "/admin/accounts", Map.of("X-Operator-Key", ServiceClient.OPERATOR_KEY), body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(UUID.fromString(created.text("id"))).isNotNull();
        assertThat(created.text("appSecret")).isEqualTo("secret-123");
        assertThat(api.token(created.text("appId"), "secret-123")).isNotBlank();

        Reply duplicate = api.send("POST", "/admin/accounts", Map.of("X-Operator-Key", ServiceClient.OPERATOR_KEY), body);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.text("detail")).contains("already exists");
    }
}
