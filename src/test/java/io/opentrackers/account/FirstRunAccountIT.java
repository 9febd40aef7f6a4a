package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.OpenTrackersApplication;
import io.opentrackers.ServiceClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's first command on a fresh machine: no credentials configured, an empty database. The service prints
 * a first-run account that works at once, and only once.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstRunAccountIT {

    private static final Pattern CREDENTIALS = Pattern.compile("First run: created the account appId=(\\S+) appSecret=(\\S+)");

    @TempDir
    Path dataDir;

    @Test
    void aFirstStartWithoutCredentialsPrintsAnAccountThatWorksAndALaterStartKeepsIt(CapturedOutput output) {
        String appId;
        String secret;
        try (ConfigurableApplicationContext first = start()) {
            Matcher printed = CREDENTIALS.matcher(output.getOut());
            assertThat(printed.find()).as("first-run credentials printed").isTrue();
            appId = printed.group(1);
            secret = printed.group(2);
            assertThat(appId).isEqualTo("demo");
            int port = ((WebServerApplicationContext) first).getWebServer().getPort();
            assertThat(output.getOut()).contains("curl -s -X POST localhost:" + port + "/oauth2/token:generate");
            assertThat(token(first, appId, secret)).isEqualTo(200);
        }
        int printedBefore = count(output.getOut());
        int logBefore = output.getOut().length();

        try (ConfigurableApplicationContext second = start()) {
            assertThat(count(output.getOut())).as("printed only on the first start").isEqualTo(printedBefore);
            assertThat(token(second, appId, secret)).isEqualTo(200);
            // a user who lost the printed secret finds in the log of every later start how to get in again
            assertThat(output.getOut().substring(logBefore))
                    .contains("Start with TRACKERS_APP_ID=demo and TRACKERS_APP_SECRET=<a new secret> set");
        }

        // ... and that way works: the first run's account takes the new secret, the lost one is refused
        try (ConfigurableApplicationContext third = start("--trackers.bootstrap.app-id=demo",
                "--trackers.bootstrap.app-secret=chosen-after-losing-it")) {
            assertThat(token(third, "demo", "chosen-after-losing-it")).isEqualTo(200);
            assertThat(token(third, "demo", secret)).isEqualTo(401);
            assertThat(output.getOut()).doesNotContain("is easy to guess");
        }

        // a short secret is kept (a deployment that ran with one keeps running) but said to be weak
        try (ConfigurableApplicationContext fourth = start("--trackers.bootstrap.app-id=demo",
                "--trackers.bootstrap.app-secret=abc")) {
            assertThat(token(fourth, "demo", "abc")).isEqualTo(200);
            assertThat(output.getOut()).contains("TRACKERS_APP_SECRET (trackers.bootstrap.app-secret) has 3 characters; "
                    + "a secret of fewer than 8 is easy to guess");
        }
    }

    private ConfigurableApplicationContext start(String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--trackers.embedded-db.data-dir=" + dataDir, "--trackers.bootstrap.first-run=true"));
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(OpenTrackersApplication.class).run(arguments.toArray(String[]::new));
    }

    private static int token(ConfigurableApplicationContext context, String appId, String secret) {
        ServiceClient api = new ServiceClient(((WebServerApplicationContext) context).getWebServer().getPort());
        return api.send("POST", "/oauth2/token:generate", Map.of(), "{\"type\":\"application\",\"appId\":\""
                + appId + "\",\"appSecret\":\"" + secret + "\"}").status();
    }

    private static int count(String text) {
        Matcher matcher = CREDENTIALS.matcher(text);
        int found = 0;
        while (matcher.find()) {
            found++;
        }
        return found;
    }
}
