package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * What an operator relies on: Prometheus metrics with histograms of the matching path, readable with the operator
 * key only (they describe every tenant's traffic), and a start-up log without noise.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OperationsIT {

    private static final String OPERATOR_KEY = "test-operator-key";

    @LocalServerPort
    int port;

    @Test
    void prometheusShowsMatchingHistogramsToTheOperatorOnly() {
        TestApi tenant = TestApi.newAccount("http://localhost:" + port);
        for (int call = 0; call < 2; call++) { // the second call's sentence is remembered
            assertThat(tenant.post("/v1/match", """
                    {"messages":[{"payload":{"content":"How much does it cost for our team of nine?"}}],
                     "trackers":[{"name":"Pricing","vocabulary":["how much does it cost","the price","pricing plans",
                     "what does it cost","is it expensive"]}]}""").status()).isEqualTo(200);
        }

        ResponseEntity<String> scrape = get("/actuator/prometheus", OPERATOR_KEY, null);
        assertThat(scrape.getStatusCode().value()).isEqualTo(200);
        assertThat(scrape.getBody())
                .contains("trackers_detection_seconds_bucket")
                .contains("trackers_embedding_run_seconds_bucket")
                .contains("http_server_requests_seconds_bucket")
                .contains("cache_gets_total{cache=\"trackers.indexes\"")
                .containsPattern("cache_gets_total\\{cache=\"trackers.remembered-vectors\",result=\"hit\"} [1-9]");
        assertThat(get("/actuator/metrics", OPERATOR_KEY, null).getStatusCode().value()).isEqualTo(200);

        // a refusal tells the operator what to send: the key, not a token (before: no key or a wrong one got
        // "A valid access token is required (Authorization: Bearer …)", and a token then a 403 without a body)
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics",
                "/actuator/metrics/trackers.detection"}) {
            assertRefusedForWantOfTheKey(get(path, null, tenant.token()), path + " with a tenant's token");
            assertRefusedForWantOfTheKey(get(path, "wrong-key", null), path + " with a wrong key");
            assertRefusedForWantOfTheKey(get(path, null, null), path + " without credentials");
        }
    }

    /**
     * Every metric family of the service's own ({@code trackers_…}) in a scrape is in docs/operations.md's table, the
     * page an operator reads to build dashboards and alerts. The counter of streams closed because their client stopped
     * reading was registered and described in docs/streaming.md only, under its Micrometer name.
     */
    @Test
    void everyMetricOfTheServiceIsInTheOperationsGuide() throws IOException {
        TestApi tenant = TestApi.newAccount("http://localhost:" + port);
        assertThat(tenant.post("/v1/match", """
                {"messages":[{"payload":{"content":"How much does it cost?"}}],
                 "trackers":[{"name":"Pricing","vocabulary":["how much does it cost","the price","pricing plans",
                 "what does it cost","is it expensive"]}]}""").status()).isEqualTo(200);
        Set<String> families = new TreeSet<>();
        Matcher type = Pattern.compile("^# TYPE (trackers_\\w+) (\\w+)$", Pattern.MULTILINE)
                .matcher(get("/actuator/prometheus", OPERATOR_KEY, null).getBody());
        while (type.find()) {
            if (!(type.group(1).endsWith("_max") && type.group(2).equals("gauge"))) {
                families.add(type.group(1)); // not a histogram's or summary's _max companion
            }
        }
        assertThat(families).as("the service's metric families").hasSizeGreaterThan(10);

        String guide = Files.readString(Path.of("docs/operations.md"));
        int section = guide.indexOf("## Metrics");
        String metrics = guide.substring(section, guide.indexOf("\n## ", section));
        List<String> undocumented = new ArrayList<>();
        for (String family : families) {
            if (!documentedIn(metrics, family)) {
                undocumented.add(family);
            }
        }
        assertThat(undocumented).as("metrics missing from docs/operations.md#metrics").isEmpty();
    }

    /** Named in full, or in a table row as `…_rest` after a full name that shares the family's stem. */
    private static boolean documentedIn(String metrics, String family) {
        if (metrics.contains("`" + family + "`")) {
            return true;
        }
        for (String row : metrics.split("\n")) {
            Matcher first = Pattern.compile("`(trackers_\\w+)`").matcher(row);
            if (!first.find()) {
                continue;
            }
            Matcher shortened = Pattern.compile("`…(_\\w+)`").matcher(row);
            while (shortened.find()) {
                String stem = family.substring(0, Math.max(0, family.length() - shortened.group(1).length()));
                if (family.endsWith(shortened.group(1)) && first.group(1).startsWith(stem + "_")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void assertRefusedForWantOfTheKey(ResponseEntity<String> answer, String request) {
        assertThat(answer.getStatusCode().value()).as(request).isEqualTo(403);
        assertThat(answer.getHeaders().getContentType()).as(request).hasToString("application/problem+json");
        assertThat(answer.getBody()).as(request).contains("A valid X-Operator-Key header is required")
                .doesNotContain("access token is required");
    }

    /** The tokenizer's loader asks DJL how many GPUs there are; on a machine without CUDA that warned at every start. */
    @Test
    void theGpuProbeOfTheTokenizerLoaderDoesNotWarnOnAMachineWithoutAGpu(CapturedOutput output) {
        int gpus = CudaUtils.getGpuCount();
        assertThat(gpus).isGreaterThanOrEqualTo(0);
        assertThat(output.getAll()).doesNotContain("Failed to detect GPU count");
    }

    /**
     * Client errors leave no line in the log (docs/operations.md, "Logs"): a wrong method was a WARN of Spring's
     * {@code PageNotFound} for every such request, the one 4xx that still wrote one.
     */
    @Test
    void aClientsMistakesWriteNoWarning(CapturedOutput output) {
        TestApi tenant = TestApi.newAccount("http://localhost:" + port);
        assertThat(tenant.send(HttpMethod.DELETE, "/v1/manage/trackers", null, null).status()).isEqualTo(405);
        assertThat(tenant.send(HttpMethod.PUT, "/v1/match", MediaType.APPLICATION_JSON, "{}").status()).isEqualTo(405);
        assertThat(tenant.send(HttpMethod.POST, "/v1/manage/trackers", MediaType.TEXT_PLAIN, "x").status())
                .isEqualTo(415);
        assertThat(tenant.post("/v1/match", "{").status()).isEqualTo(400);
        assertThat(tenant.get("/v1/manage/trackers/not-an-id").status()).isEqualTo(404);
        assertThat(output.getAll()).doesNotContain("PageNotFound").doesNotContain("is not supported")
                .doesNotContainPattern("(?m)^\\S+\\s+(WARN|ERROR) .*(/v1/|Request method)");
    }

    private ResponseEntity<String> get(String path, String operatorKey, String token) {
        RestClient.RequestHeadersSpec<?> request = RestClient.create("http://localhost:" + port).get().uri(path);
        if (operatorKey != null) {
            request = request.header("X-Operator-Key", operatorKey);
        }
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return request.retrieve().onStatus(status -> true, (req, res) -> { }).toEntity(String.class);
    }
}
