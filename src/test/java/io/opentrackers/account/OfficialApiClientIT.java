package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Symbl's own JavaScript client, {@code @symblai/api-client} 1.0.17, obtains a token from this service with
 * {@code AuthenticationApi.generateToken} (src/test/node/api-client-token.test.mjs). The build installs the
 * package with {@code npm ci} before the integration tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OfficialApiClientIT {

    private static final Path NODE_PROJECT = Path.of("src", "test", "node");

    @LocalServerPort
    int port;

    @Test
    void generateTokenOfTheOfficialClientGetsAWorkingToken() throws IOException, InterruptedException {
        ServiceClient api = new ServiceClient(port);
        Account account = api.newAccount();

        ProcessBuilder node = new ProcessBuilder("node", "api-client-token.test.mjs")
                .directory(NODE_PROJECT.toFile()).redirectErrorStream(true);
        node.environment().putAll(Map.of("OPENTRACKERS_BASE_URL", api.baseUrl(),
                "OPENTRACKERS_APP_ID", account.appId(), "OPENTRACKERS_APP_SECRET", account.appSecret()));
        Process process = node.start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }

        assertThat(finished).as("node finished within 60 s; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("expiresIn=86400", "trackersStatus=200");
        Matcher token = Pattern.compile("accessToken=(\\S+)").matcher(output);
        assertThat(token.find()).as(output).isTrue();
        // the token the SDK received is one this service accepts, for this account
        Account sdkAccount = new Account(account.id(), account.appId(), account.appSecret(), token.group(1));
        api.post(sdkAccount, "/v1/manage/trackers", ServiceClient.tracker("From the SDK token"));
        assertThat(api.get(account, "/v1/manage/trackers?name=From%20the%20SDK%20token").json().get("trackers").size())
                .isEqualTo(1);
    }
}
