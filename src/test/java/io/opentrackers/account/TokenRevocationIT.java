package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.SecondInstance;
import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.TestSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * {@code POST /oauth2/token:revoke}: one leaked token ends on REST calls, WebSocket handshakes and open streams, on
 * every instance of the database, while the account's other tokens keep working; another account's token cannot be
 * revoked, and the answer does not tell; rows are purged once their token has expired. A changed secret closes the
 * open streams of the old secret's tokens in the same way. The purge runs every 200 ms here (an hour by default) so
 * that the test sees it run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "trackers.auth.revoked-purge-interval=200ms")
class TokenRevocationIT {

    private static final String REVOKE = "/oauth2/token:revoke";
    private static final String TRACKERS = "/v1/manage/trackers";
    /** Far beyond the 2 s revocation check of open connections, for a loaded build machine. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JdbcConnectionDetails database;

    /** The service's own signing key, for tokens as older versions issued them (no jti). */
    @Autowired
    JwtEncoder signer;

    ServiceClient api;

    @BeforeEach
    void client() {
        api = new ServiceClient(port);
    }

    @Test
    void aRevokedTokenIsRefusedOnRestAndWebSocketHandshakesWhileTheAccountsOtherTokensWork() {
        Account account = api.newAccount();
        String leaked = account.token();
        String other = api.token(account.appId(), account.appSecret());

        Reply revoked = revoke(other, "{\"token\":\"" + leaked + "\"}");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.contentType()).startsWith("application/json");
        assertThat(revoked.body()).isEqualTo("{}");

        Reply refused = api.send("GET", TRACKERS, Map.of("Authorization", "Bearer " + leaked), null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("detail"))
                .isEqualTo("The access token was revoked; generate a new one at /oauth2/token:generate");
        assertThat(api.send("GET", TRACKERS, Map.of("x-api-key", leaked), null).status()).isEqualTo(401);
        assertThat(TestSocket.refusedStatus(streaming(port, leaked), Map.of())).isEqualTo(401);
        assertThat(TestSocket.refusedStatus(legacy(port), Map.of("X-API-KEY", leaked))).isEqualTo(401);

        assertThat(api.send("GET", TRACKERS, Map.of("Authorization", "Bearer " + other), null).status())
                .isEqualTo(200);
        try (TestSocket socket = TestSocket.open(legacy(port), Map.of("X-API-KEY", other))) {
            assertThat(startedListening(socket)).isTrue();
        }
        // a token generated after the revocation is as good as any
        String fresh = api.token(account.appId(), account.appSecret());
        assertThat(api.send("GET", TRACKERS, Map.of("Authorization", "Bearer " + fresh), null).status())
                .isEqualTo(200);
    }

    @Test
    void aTokenRevokesItselfAndRevokingTwiceIsStill200() {
        Account account = api.newAccount();

        assertThat(revoke(account.token(), "{\"token\":\"" + account.token() + "\"}").status()).isEqualTo(200);

        assertThat(api.get(account, TRACKERS).status()).isEqualTo(401);
        String another = api.token(account.appId(), account.appSecret());
        assertThat(revoke(another, "{\"token\":\"" + account.token() + "\"}").status()).isEqualTo(200);
        assertThat(api.get(account, TRACKERS).status()).isEqualTo(401);
    }

    @Test
    void anotherAccountsTokenIsNotRevokedAndTheAnswerIsThatOfAnyUnknownString() {
        Account alice = api.newAccount();
        Account bob = api.newAccount();

        Reply foreign = revoke(alice.token(), "{\"token\":\"" + bob.token() + "\"}");
        Reply garbage = revoke(alice.token(), "{\"token\":\"not-a-token\"}");
        Reply forged = revoke(alice.token(), "{\"token\":\"" + resigned(bob.token()) + "\"}");

        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign).usingRecursiveComparison().isEqualTo(garbage);
        assertThat(forged).usingRecursiveComparison().isEqualTo(garbage);
        assertThat(api.get(bob, TRACKERS).status()).isEqualTo(200);
        try (TestSocket socket = TestSocket.open(streaming(port, bob.token()), Map.of())) {
            assertThat(startedListening(socket)).isTrue();
        }
        assertThat(jdbc.sql("select count(*) from revoked_token where account_id = ?")
                .param(UUID.fromString(bob.id())).query(Integer.class).single()).isZero();
    }

    @Test
    void anOpenStreamIsClosedWhenItsTokenIsRevokedAndTheOtherTokensStreamGoesOn() {
        Account account = api.newAccount();
        String leaked = account.token();
        String other = api.token(account.appId(), account.appSecret());
        try (TestSocket doomed = TestSocket.open(streaming(port, leaked), Map.of());
                TestSocket kept = TestSocket.open(legacy(port), Map.of("X-API-KEY", other))) {
            assertThat(startedListening(doomed)).isTrue();

            assertThat(revoke(other, "{\"token\":\"" + leaked + "\"}").status()).isEqualTo(200);

            assertThat(doomed.next().at("/message/details").asString())
                    .isEqualTo("Closing the connection: its access token was revoked; reconnect with a valid token");
            assertThat(doomed.closeCode(CLOSE_WAIT)).isEqualTo(1008);
            assertThat(startedListening(kept)).isTrue();
        }
    }

    /** A second replica on the database: its next request refuses the token, its open stream closes. */
    @Test
    void anotherInstanceOnTheSameDatabaseHonoursTheRevocation() {
        Account account = api.newAccount();
        String leaked = account.token();
        try (ConfigurableApplicationContext second = SecondInstance.start(database)) {
            int there = SecondInstance.port(second);
            ServiceClient secondApi = new ServiceClient(there);
            try (TestSocket stream = TestSocket.open(legacy(there), Map.of("X-API-KEY", leaked))) {
                assertThat(startedListening(stream)).isTrue();
                assertThat(secondApi.get(account, TRACKERS).status()).isEqualTo(200);

                assertThat(revoke(leaked, "{\"token\":\"" + leaked + "\"}").status()).isEqualTo(200);

                // no cache to wait for: the very next request there reads the revocation from the database
                assertThat(secondApi.get(account, TRACKERS).status()).isEqualTo(401);
                assertThat(TestSocket.refusedStatus(streaming(there, leaked), Map.of())).isEqualTo(401);
                assertThat(stream.closeCode(CLOSE_WAIT)).isEqualTo(1008);
            }
        }
    }

    /**
     * A new secret ends the tokens of the old one on REST calls and handshakes (DefaultAccountRestartIT), and their
     * open streams too, on every instance: here and on a second replica. The secret changes as it does for a user: a
     * replica starts with another configured secret for the account. Another account's stream and one opened with a
     * token issued before tokens carried the secret's stamp go on.
     */
    @Test
    void openStreamsOfTheOldSecretsTokensCloseOnEveryInstanceWhenTheSecretChanges() {
        Account account = api.newAccount();
        Account bystander = api.newAccount();
        String unstamped = withoutId(account, Instant.now().plusSeconds(3600));
        try (ConfigurableApplicationContext second = SecondInstance.start(database)) {
            int there = SecondInstance.port(second);
            try (TestSocket here = TestSocket.open(streaming(port, account.token()), Map.of());
                    TestSocket elsewhere = TestSocket.open(legacy(there), Map.of("X-API-KEY", account.token()));
                    TestSocket others = TestSocket.open(streaming(port, bystander.token()), Map.of());
                    TestSocket old = TestSocket.open(streaming(port, unstamped), Map.of())) {
                assertThat(startedListening(here)).isTrue();
                assertThat(startedListening(elsewhere)).isTrue();

                try (ConfigurableApplicationContext restarted = SecondInstance.start(database,
                        "--trackers.bootstrap.app-id=" + account.appId(),
                        "--trackers.bootstrap.app-secret=new-" + account.appSecret())) {
                    assertThat(api.get(account, TRACKERS).status()).isEqualTo(401);
                }

                for (TestSocket doomed : List.of(here, elsewhere)) {
                    assertThat(doomed.next().at("/message/details").asString()).isEqualTo("Closing the connection: "
                            + "the account's secret changed after its access token was issued; reconnect with a "
                            + "token generated with the new secret");
                    assertThat(doomed.closeCode(CLOSE_WAIT)).isEqualTo(1008);
                }
                // the check that closed the stream here has looked at these too
                assertThat(startedListening(others)).isTrue();
                assertThat(startedListening(old)).isTrue();
            }
        }
    }

    @Test
    void revocationsOfTokensThatHaveExpiredArePurged() {
        Account account = api.newAccount();
        String expiring = api.token(account.appId(), account.appSecret());
        String live = api.token(account.appId(), account.appSecret());
        revoke(account.token(), "{\"token\":\"" + expiring + "\"}");
        revoke(account.token(), "{\"token\":\"" + live + "\"}");
        assertThat(revocations(account)).isEqualTo(2);

        // as if its 24 hours had passed
        jdbc.sql("update revoked_token set expires_at = now() - interval '1 second' where token_id = ?")
                .param(tokenId(expiring)).update();

        waitUntil(() -> revocations(account) == 1, "the expired token's revocation to be purged");
        assertThat(jdbc.sql("select token_id from revoked_token where account_id = ?")
                .param(UUID.fromString(account.id())).query(String.class).single()).isEqualTo(tokenId(live));
        assertThat(api.send("GET", TRACKERS, Map.of("Authorization", "Bearer " + live), null).status())
                .isEqualTo(401);
    }

    /** Tokens issued before tokens had an id keep working; their owner is told they cannot be revoked alone. */
    @Test
    void aTokenWithoutAnIdIsNotRevocableAloneAndSaysSoOnlyToItsOwnAccount() {
        Account account = api.newAccount();
        Account stranger = api.newAccount();
        String old = withoutId(account, Instant.now().plusSeconds(3600));

        Reply refused = revoke(account.token(), "{\"token\":\"" + old + "\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("type")).isEqualTo("https://opentrackers.io/problems/unsupported-token-type");
        assertThat(refused.json().at("/errors/0/field").asString()).isEqualTo("token");
        assertThat(refused.text("detail")).contains("cannot be revoked alone", "expires at");
        assertThat(api.send("GET", TRACKERS, Map.of("Authorization", "Bearer " + old), null).status())
                .isEqualTo(200);

        assertThat(revoke(stranger.token(), "{\"token\":\"" + old + "\"}").status()).isEqualTo(200);
        // an expired one needs no revocation
        assertThat(revoke(account.token(), "{\"token\":\"" + withoutId(account, Instant.now().minusSeconds(1))
                + "\"}").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"token\":null}", "{\"token\":\"  \"}", "{\"token\":5}", "{\"token\":[\"x\"]}",
            "{\"token\":{}}"})
    void aMissingOrWronglyTypedTokenIsA400NamingIt(String body) {
        Account account = api.newAccount();

        Reply refused = revoke(account.token(), body);

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().at("/errors/0/field").asString()).as(refused.body()).isEqualTo("token");
        assertThat(api.get(account, TRACKERS).status()).isEqualTo(200);
    }

    @Test
    void aBodyThatIsNotJsonIsA400AndNoTokenIsA401() {
        Account account = api.newAccount();

        Reply notJson = revoke(account.token(), "token=" + account.token());
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.contentType()).startsWith("application/problem+json");
        assertThat(api.send("POST", REVOKE, Map.of(), "{\"token\":\"" + account.token() + "\"}").status())
                .isEqualTo(401);
        assertThat(api.get(account, TRACKERS).status()).isEqualTo(200);
    }

    private Reply revoke(String callerToken, String body) {
        return api.send("POST", REVOKE, Map.of("Authorization", "Bearer " + callerToken), body);
    }

    private int revocations(Account account) {
        return jdbc.sql("select count(*) from revoked_token where account_id = ?").param(UUID.fromString(account.id()))
                .query(Integer.class).single();
    }

    private static String tokenId(String token) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return ServiceClient.JSON.readTree(payload).get("jti").asString();
    }

    /** A token of the account as issued before tokens carried an id. */
    private String withoutId(Account account, Instant expiresAt) {
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(SecurityConfiguration.ISSUER).subject(account.id())
                .issuedAt(expiresAt.minusSeconds(60)).expiresAt(expiresAt).build();
        return signer.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }

    /** The token's claims under a signature of another key: not a token of this service. */
    private static String resigned(String token) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    }

    /**
     * Starts a stream on the connection; true when it answered started_listening, conversation_created and
     * recognition_started.
     */
    private static boolean startedListening(TestSocket socket) {
        socket.send("{\"type\":\"start_request\"}");
        return "started_listening".equals(socket.next().at("/message/type").asString())
                && "conversation_created".equals(socket.next().at("/message/type").asString())
                && "recognition_started".equals(socket.next().at("/message/type").asString());
    }

    private static URI streaming(int port, String token) {
        return URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token=" + token);
    }

    private static URI legacy(int port) {
        return URI.create("ws://localhost:" + port + "/v1/realtime/insights/" + UUID.randomUUID());
    }

    private static void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 30 s for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
