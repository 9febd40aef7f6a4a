package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.TestSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Tokens, the ways a client may present them, and the operator's admin endpoint. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthenticationIT {

    private static final String TRACKERS = "/v1/manage/trackers";

    @LocalServerPort
    int port;

    /** The service's own signing key: tokens below are correctly signed, so only their claims can fail them. */
    @Autowired
    JwtEncoder signer;

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

    /** The appId is stored trimmed; a login with the spaces it was pasted with was a 401 (a wire audit). */
    @Test
    void anAppIdWithSpacesAroundItNamesTheAccountItWasStoredAs() {
        Account account = api.newAccount();
        Reply reply = api.send("POST", "/oauth2/token:generate", Map.of(), "{\"type\":\"application\",\"appId\":\" "
                + account.appId() + "  \",\"appSecret\":\"" + account.appSecret() + "\"}");
        assertThat(reply.status()).isEqualTo(200);
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
            // a newcomer's first call without a token learns where tokens come from
            assertThat(reply.text("detail")).as(headers.toString()).contains("POST /oauth2/token:generate");
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
        assertThat(missing.text("detail")).isEqualTo("appId: is required; appSecret: is required");
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

    private String signed(JwtClaimsSet.Builder claims) {
        return signer.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(),
                claims.issuer(SecurityConfiguration.ISSUER).issuedAt(Instant.now()).build())).getTokenValue();
    }

    @Test
    void signedTokensWithoutExpiryOrWithoutAnExistingAccountAre401() {
        Account account = api.newAccount();
        Instant later = Instant.now().plusSeconds(600);
        Map<String, String> tokens = Map.of(
                "no exp", signed(JwtClaimsSet.builder().subject(account.id())),
                "sub not a UUID", signed(JwtClaimsSet.builder().subject("root").expiresAt(later)),
                "sub of no account", signed(JwtClaimsSet.builder().subject(UUID.randomUUID().toString()).expiresAt(later)),
                "no sub", signed(JwtClaimsSet.builder().claim("appId", account.appId()).expiresAt(later)));
        String submission = "{\"messages\":[{\"payload\":{\"content\":\"hello\"}}]}";
        tokens.forEach((name, token) -> {
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
            for (Reply reply : new Reply[] {api.send("GET", TRACKERS, bearer, null),
                    api.send("POST", "/v1/process/text", bearer, submission)}) {
                assertThat(reply.status()).as(name).isEqualTo(401);
                assertThat(reply.contentType()).as(name).isEqualTo("application/problem+json");
            }
        });
        // the same claims with exp and the account's id pass: the checks above fail only on what they test
        String valid = signed(JwtClaimsSet.builder().subject(account.id()).expiresAt(later));
        assertThat(api.send("GET", TRACKERS, Map.of("Authorization", "Bearer " + valid), null).status()).isEqualTo(200);
    }

    @Test
    void accessTokenInTheQueryIsOnlyForWebSocketUpgrades() {
        Account account = api.newAccount();
        Reply get = api.send("GET", TRACKERS + "?access_token=" + account.token(), Map.of(), null);
        assertThat(get.status()).isEqualTo(401);
        assertThat(get.contentType()).isEqualTo("application/problem+json");
        // a streaming path without the upgrade opens nothing: it is told what the path is, and its token is not read
        // (a valid one and a forged one get the same answer)
        for (String token : List.of(account.token(), "not-a-token")) {
            Reply plain = api.send("GET", "/v1/streaming/" + UUID.randomUUID() + "?access_token=" + token, Map.of(),
                    null);
            assertThat(plain.status()).isEqualTo(400);
            assertThat(plain.json().path("detail").asString()).startsWith("This is a WebSocket endpoint");
        }
        try (TestSocket socket = TestSocket.open(URI.create("ws://localhost:"
                + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token=" + account.token()), Map.of())) {
            socket.send("{\"type\":\"start_request\"}");
            assertThat(socket.next().get("type").asString()).isEqualTo("message");
        }
    }

    private Reply createAccount(Object body) {
        return api.send("POST", "/admin/accounts", Map.of("X-Operator-Key", ServiceClient.OPERATOR_KEY), body);
    }

    private static ObjectNode accountBody() {
        return ServiceClient.JSON.createObjectNode().put("appId", "limits-" + UUID.randomUUID())
                .put("appSecret", "secret-123");
    }

    @Test
    void accountFieldsBeyondWhatCanBeStoredOrHashedAre400NamingTheField() {
        assertBadRequest(createAccount(accountBody().put("name", "n".repeat(201))), "name");
        assertBadRequest(createAccount(accountBody().put("appSecret", "s".repeat(73))), "appSecret");
        // 37 two-byte characters: 74 bytes, though only 37 characters
        assertBadRequest(createAccount(accountBody().put("appSecret", "\u00e9".repeat(37))), "appSecret");
        assertBadRequest(createAccount(accountBody().put("appId", "app\u0000id")), "appId");
        // written as a JSON escape: a Java string with a lone surrogate would reach the wire as '?'
        String loneSurrogate = accountBody().put("name", "x-y").toString().replace("x-y", "x\\ud800y");
        assertBadRequest(createAccount(loneSurrogate), "name");
        assertThat(createAccount(accountBody().put("name", "n".repeat(200)).put("appSecret", "s".repeat(72)))
                .status()).isEqualTo(201);
    }

    /**
     * A user audit: {@code {"appId": "  "}} created an account with a generated appId, so the operator got another
     * appId than the one typed. Only a missing appId (or secret) is generated; a given one must have something in it.
     */
    @Test
    void aBlankAppIdOrSecretIsRefusedAndOnlyAMissingOneIsGenerated() {
        for (String blank : new String[] {"", "  ", "\u00a0", "\u200b\t"}) {
            Reply appId = createAccount(accountBody().put("appId", blank));
            assertBadRequest(appId, "appId");
            assertThat(appId.text("detail")).isEqualTo("appId: must not be blank; leave it out to have one generated");
            Reply secret = createAccount(accountBody().put("appSecret", blank + "        "));
            assertBadRequest(secret, "appSecret");
            assertThat(secret.text("detail"))
                    .isEqualTo("appSecret: must not be blank; leave it out to have one generated");
        }

        Reply generated = createAccount(ServiceClient.JSON.createObjectNode().put("name", "generated"));
        assertThat(generated.status()).isEqualTo(201);
        assertThat(generated.text("appId")).matches("[0-9a-f]{32}");
        assertThat(api.token(generated.text("appId"), generated.text("appSecret"))).isNotBlank();
        String appId = "trimmed-" + UUID.randomUUID();
        Reply trimmed = createAccount(accountBody().put("appId", "\u00a0" + appId + " "));
        assertThat(trimmed.status()).isEqualTo(201);
        assertThat(trimmed.text("appId")).isEqualTo(appId);
        assertThat(api.token(appId, "secret-123")).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"appId", "appSecret"})
    void tokenRequestsThatNoAccountCouldMatchAre400NotServerErrors(String field) {
        ObjectNode body = ServiceClient.JSON.createObjectNode().put("type", "application").put("appId", "some-app")
                .put("appSecret", "secret-123");
        body.put(field, field.equals("appId") ? "app\u0000" : "s".repeat(73));
        assertBadRequest(api.send("POST", "/oauth2/token:generate", Map.of(), body), field);
    }

    private static void assertBadRequest(Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }
}
