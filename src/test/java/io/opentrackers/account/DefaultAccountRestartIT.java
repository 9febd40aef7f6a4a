package io.opentrackers.account;

import static io.opentrackers.ServiceClient.tracker;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.OpenTrackersApplication;
import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the service twice on one embedded-database directory, as a user does with {@code ./mvnw spring-boot:run}:
 * the configured default account exists on first start, and trackers survive the restart; a changed secret ends the
 * tokens issued for the old one.
 */
class DefaultAccountRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void defaultAccountIsCreatedAndTrackersSurviveARestart() {
        String trackerId;
        Account account;
        try (ConfigurableApplicationContext first = start("first-secret")) {
            ServiceClient api = client(first);
            account = new Account(null, "local-app", "first-secret", api.token("local-app", "first-secret"));
            trackerId = api.post(account, "/v1/manage/trackers", tracker("Survivor")).json().get("tracker")
                    .get("id").asString();
        }

        // The configuration is the truth for the default account: a changed secret replaces the old one.
        try (ConfigurableApplicationContext second = start("second-secret")) {
            ServiceClient api = client(second);
            assertThat(api.send("POST", "/oauth2/token:generate", Map.of(), "{\"type\":\"application\","
                    + "\"appId\":\"local-app\",\"appSecret\":\"first-secret\"}").status()).isEqualTo(401);
            // the token issued for the old secret ends with it (the signing key, stored in the database, is the same)
            assertThat(api.get(account, "/v1/manage/trackers/" + trackerId).status()).isEqualTo(401);
            Account renewed = new Account(null, "local-app", "second-secret", api.token("local-app", "second-secret"));
            assertThat(api.get(renewed, "/v1/manage/trackers/" + trackerId).json().get("tracker").get("name").asString())
                    .isEqualTo("Survivor");
        }
    }

    private ConfigurableApplicationContext start(String secret) {
        return new SpringApplicationBuilder(OpenTrackersApplication.class).run(
                "--server.port=0",
                "--trackers.embedded-db.data-dir=" + dataDir,
                "--trackers.bootstrap.app-id=local-app",
                "--trackers.bootstrap.app-secret=" + secret);
    }

    private static ServiceClient client(ConfigurableApplicationContext context) {
        return new ServiceClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
