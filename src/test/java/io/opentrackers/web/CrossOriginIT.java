package io.opentrackers.web;

import static io.opentrackers.ServiceClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.ServiceClientTestSupport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A browser page of another origin calls the API when the operator allows that origin
 * ({@code trackers.web.allowed-origins}): a dashboard on {@code https://app.example.com} reads the trackers, their
 * versions and the problems it is answered with; other origins' pages are not answered to.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties =
        "trackers.web.allowed-origins=https://app.example.com, https://*.partner.example, http://127.0.0.1:[*]")
@ExtendWith(OutputCaptureExtension.class)
class CrossOriginIT extends ServiceClientTestSupport {

    private static final String APP = "https://app.example.com";

    @Test
    void anAllowedPagesPreflightIsAnsweredWithWhatTheApiTakes() {
        Reply preflight = preflight(APP, "/v1/manage/trackers/some-id", "PATCH", "authorization, content-type, if-match");
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("PATCH");
        assertThat(preflight.header("Access-Control-Allow-Headers").toLowerCase())
                .contains("authorization", "content-type", "if-match");
        assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("3600");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();

        Reply token = preflight("https://eu.partner.example", "/oauth2/token:generate", "POST", "content-type");
        assertThat(token.header("Access-Control-Allow-Origin")).isEqualTo("https://eu.partner.example");
    }

    @Test
    void anAllowedPageReadsTheAnswerItsVersionAndItsProblems() {
        String created = api.post(account, "/v1/manage/trackers", """
                {"name": "Pricing", "vocabulary": ["how much does it cost", "what is the price", "pricing plans",
                 "too expensive", "any discount"]}""").json().get("tracker").get("id").asString();

        Reply read = send("GET", "/v1/manage/trackers/" + created, APP, bearer(account));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(read.header("Access-Control-Expose-Headers")).contains("ETag", "Location", "Retry-After");
        assertThat(read.header("ETag")).isNotNull();

        // a page must read why it was refused, or it can only say "network error"
        Reply unauthorized = send("GET", "/v1/manage/trackers", APP, Map.of());
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(unauthorized.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anotherOriginsPageIsNotAnsweredAndItsPreflightSaysWhy() {
        Reply preflight = preflight("https://evil.example", "/v1/manage/trackers", "GET", "authorization");
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.contentType()).startsWith("application/problem+json");
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.json().get("errors").get(0).get("field").asString()).isEqualTo("Origin");
        assertThat(preflight.json().get("message").asString()).isEqualTo("This cross-origin request is not allowed: "
                + "Origin: https://evil.example is not among the origins this service allows "
                + "(trackers.web.allowed-origins)");

        // the answer is served (a script outside a browser gets it anyway) but without the headers a browser needs
        Reply read = send("GET", "/v1/manage/trackers", "https://evil.example", bearer(account));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("Access-Control-Allow-Origin")).isNull();
        assertThat(read.header("Access-Control-Expose-Headers")).isNull();
    }

    @Test
    void aPreflightForAMethodOrHeaderTheApiDoesNotTakeNamesIt() {
        Reply method = preflight(APP, "/v1/manage/trackers", "TRACE", null);
        assertThat(method.status()).isEqualTo(403);
        assertThat(method.json().get("errors").get(0).get("field").asString())
                .isEqualTo("Access-Control-Request-Method");

        Reply header = preflight(APP, "/v1/manage/trackers", "POST", "content-type, x-requested-by");
        assertThat(header.status()).isEqualTo(403);
        assertThat(header.json().get("errors").get(0).get("field").asString())
                .isEqualTo("Access-Control-Request-Headers");
        assertThat(header.json().get("errors").get(0).get("message").asString())
                .startsWith("x-requested-by is not among the headers this API takes");
    }

    /** A page retries a submit with its Idempotency-Key and reads whether it was replayed, and a CSV's file name. */
    @Test
    void aPageUsesRetriesAndTheCsvLikeAnyClient() {
        Reply preflight = preflight(APP, "/v1/process/text", "POST", "authorization, content-type, idempotency-key");
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Headers").toLowerCase()).contains("idempotency-key");
        Reply read = send("GET", "/v1/manage/trackers", APP, bearer(account));
        assertThat(read.header("Access-Control-Expose-Headers")).contains("Idempotent-Replayed", "Content-Disposition");
    }

    /**
     * A plain OPTIONS with an allowed Origin (no preflight: curl) lists the path's methods as without Origin; it was a
     * plain-text 403 "Invalid CORS request" and an ERROR with a stack trace in the log. A preflight for a lower-case
     * method (fetch() sends "patch" as written) is a problem saying methods are case-sensitive.
     */
    @Test
    void aPlainOptionsAndALowerCaseMethodAreAnsweredAsProblemsOrAnswersNotPlainText(CapturedOutput log) {
        Reply options = send("OPTIONS", "/v1/manage/trackers", APP, Map.of());
        assertThat(options.status()).isNotEqualTo(403);
        assertThat(options.contentType() == null || !options.contentType().startsWith("text/plain")).isTrue();
        assertThat(log.getAll()).doesNotContain("response is already committed");

        Reply lower = preflight(APP, "/v1/manage/trackers/some-id", "patch", "authorization");
        assertThat(lower.status()).isEqualTo(403);
        assertThat(lower.contentType()).startsWith("application/problem+json");
        assertThat(lower.json().get("errors").get(0).get("message").asString())
                .endsWith("methods are case-sensitive: send PATCH");
    }

    @Test
    void theManagementPagesAndTheOperatorsEndpointsAreNotOpenedToOtherOrigins() {
        for (String path : List.of("/admin/accounts", "/actuator/prometheus", "/ui/js/app.js")) {
            Reply preflight = preflight(APP, path, "GET", "x-operator-key");
            assertThat(preflight.header("Access-Control-Allow-Origin")).as(path).isNull();
        }
    }

    /**
     * What a browser makes of these headers, which is what matters: Chromium on a page of {@code 127.0.0.1} (allowed)
     * reads the trackers from {@code localhost} (another origin, the same service) with a bearer token, after its
     * preflight; on a page of {@code localhost}, not allowed, the same call from {@code 127.0.0.1} fails.
     */
    @Test
    void aBrowserPageOfAnAllowedOriginCallsTheApiAndOneOfAnotherCannot() {
        api.post(account, "/v1/manage/trackers", """
                {"name": "Budget", "vocabulary": ["no money", "no budget", "too expensive", "can't afford it",
                 "out of budget"]}""");
        String fetch = """
                const [url, token, done] = arguments;
                fetch(url, {headers: {Authorization: 'Bearer ' + token}})
                  .then(response => response.json()).then(body => done('read ' + body.trackers.map(t => t.name)))
                  .catch(error => done('failed: ' + error.name));""";
        try (Browser browser = Browser.open("http://127.0.0.1:" + port)) {
            browser.driver().get("http://127.0.0.1:" + port + "/v3/api-docs");
            assertThat(browser.driver().executeAsyncScript(fetch, "http://localhost:" + port + "/v1/manage/trackers",
                    account.token())).isEqualTo("read Budget");

            browser.driver().get("http://localhost:" + port + "/v3/api-docs");
            assertThat(browser.driver().executeAsyncScript(fetch, "http://127.0.0.1:" + port + "/v1/manage/trackers",
                    account.token())).isEqualTo("failed: TypeError");
        }
    }

    private Reply preflight(String origin, String path, String method, String headers) {
        Map<String, String> asked = new HashMap<>(Map.of("Access-Control-Request-Method", method));
        if (headers != null) {
            asked.put("Access-Control-Request-Headers", headers);
        }
        return send("OPTIONS", path, origin, asked);
    }

    private Reply send(String method, String path, String origin, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Origin", origin);
        return api.send(method, path, all, null);
    }
}
