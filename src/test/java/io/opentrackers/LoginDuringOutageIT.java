package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Logins while the database is gone get the outage's 503, like every other request. A login's account lookup used to
 * run inside the one secret-check slot, so the first login held it for the pool's whole wait and every other login
 * meanwhile got 429 "The service is busy checking other logins" (docs/operations.md, "The database goes away"). The
 * set-up is {@link DatabaseOutageIT}'s: a PostgreSQL of the test's own, stopped under the running service.
 */
class LoginDuringOutageIT {

    /** The pool's wait for a connection: longer than a login's wait for a check slot, as the defaults are (30 s, 2 s). */
    private static final Duration POOL_WAIT = Duration.ofSeconds(4);
    private static final Duration CHECK_WAIT = Duration.ofSeconds(1);
    /** Fewer than an appId's failures (10), so the buckets refuse none of them whatever they count. */
    private static final int LOGINS = 8;

    private final HttpClient http = HttpClient.newHttpClient();
    private OwnPostgres postgres;
    private ConfigurableApplicationContext service;

    @AfterEach
    void stopEverything() throws IOException {
        if (service != null) {
            service.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void concurrentLoginsDuringAnOutageAllGet503WithRetryAfterAndNone429() throws Exception {
        postgres = new OwnPostgres("login-outage-pg");
        postgres.start();
        service = new SpringApplicationBuilder(OpenTrackersApplication.class).run(postgres.serviceArguments("--server.port=0",
                "--spring.datasource.hikari.connection-timeout=" + POOL_WAIT.toMillis(),
                // one slot, whatever the machine's cores: the case where a login waiting on the database blocked all
                "--trackers.auth.login.max-concurrent-checks=1",
                "--trackers.auth.login.check-wait=" + CHECK_WAIT.toMillis() + "ms",
                "--trackers.admin.operator-key=test-operator-key"));
        String base = "http://localhost:" + SecondInstance.port(service);
        TestApi api = TestApi.newAccount(base);

        postgres.stop();

        // from one address, half of them for the account, half for appIds no account has (those look up too)
        ExecutorService pool = Executors.newFixedThreadPool(LOGINS);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            List<Future<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < LOGINS; i++) {
                String appId = i % 2 == 0 ? api.appId() : "nobody-" + i;
                logins.add(pool.submit(() -> login(base, appId, TestApi.APP_SECRET)));
            }
            for (Future<HttpResponse<String>> login : logins) {
                answers.add(login.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(answers).hasSize(LOGINS).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(TestApi.json(answer.body()).get("type").asString()).endsWith("/database-unavailable");
        });

        // once the database is back, the account logs in: the refused attempts counted as no failures
        postgres.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = login(base, api.appId(), TestApi.APP_SECRET).statusCode();
        while (status != 200 && System.nanoTime() < deadline) {
            assertThat(status).as("a login while the pool reconnects").isEqualTo(503);
            Thread.sleep(200);
            status = login(base, api.appId(), TestApi.APP_SECRET).statusCode();
        }
        assertThat(status).isEqualTo(200);
    }

    private HttpResponse<String> login(String base, String appId, String secret)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token:generate"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"application\",\"appId\":\"" + appId + "\",\"appSecret\":\"" + secret + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
