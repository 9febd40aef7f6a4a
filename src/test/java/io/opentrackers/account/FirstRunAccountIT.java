package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.OpenTrackersApplication;
import io.opentrackers.ServiceClient;
import java.nio.file.Path;
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

        try (ConfigurableApplicationContext second = start()) {
            assertThat(count(output.getOut())).as("printed only on the first start").isEqualTo(printedBefore);
            assertThat(token(second, appId, secret)).isEqualTo(200);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(OpenTrackersApplication.class).run("--server.port=0",
                "--trackers.embedded-db.data-dir=" + dataDir, "--trackers.bootstrap.first-run=true");
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
