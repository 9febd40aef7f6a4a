package io.opentrackers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The official {@code @symblai/symbl-js} SDK (installed from the lock file in src/test/node during the build)
 * against the running service with the real embedding model: its own onTrackerResponse handler must receive a
 * meaning hit for a sentence that shares no phrase with the tracker's vocabulary.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SymblJsStreamingIT {

    @LocalServerPort
    int port;

    @Test
    void officialSdkReceivesTrackerResponseInItsHandler() throws Exception {
        String baseUrl = "http://localhost:" + port;
        String appId = "sdk-" + UUID.randomUUID();
        RestClient.create(baseUrl).post().uri("/admin/accounts").header("X-Operator-Key", "test-operator-key")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"appId\":\"" + appId + "\",\"appSecret\":\"secret-123\"}").retrieve().toBodilessEntity();

        Path script = Path.of("src/test/node/symbl-js-streaming.test.mjs");
        File output = File.createTempFile("symbl-js-streaming", ".log");
        ProcessBuilder node = new ProcessBuilder("node", script.getFileName().toString())
                .directory(script.getParent().toFile()).redirectErrorStream(true).redirectOutput(output);
        node.environment().put("OPENTRACKERS_BASE_URL", baseUrl);
        node.environment().put("OPENTRACKERS_APP_ID", appId);
        node.environment().put("OPENTRACKERS_APP_SECRET", "secret-123");
        Process process = node.start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String log = java.nio.file.Files.readString(output.toPath(), StandardCharsets.UTF_8);
        assertThat(finished).as("node finished within 60 s; output:%n%s", log).isTrue();
        assertThat(process.exitValue()).as("node exit code; output:%n%s", log).isZero();
        assertThat(log).contains("\"type\":\"tracker_response\"").contains("conversationCompleted=");
    }
}
