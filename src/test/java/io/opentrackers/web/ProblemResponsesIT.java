package io.opentrackers.web;

import static io.opentrackers.ServiceClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.ServiceClientTestSupport;
import io.opentrackers.TestSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** Every error is an RFC 9457 problem with {@code message} == {@code detail}; bodies over 1 MB are 413. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemResponsesIT extends ServiceClientTestSupport {

    @Autowired
    MeterRegistry meters;



    @Test
    void problemsCarryTheRfc9457MembersAndMessage() {
        assertProblem(api.get(account, "/v1/manage/trackers/missing"), 404, "not-found", "/v1/manage/trackers/missing");
        assertProblem(api.post(account, "/v1/manage/trackers", "{"), 400, "invalid-request", "/v1/manage/trackers");
        assertProblem(api.send("GET", "/v1/manage/trackers", Map.of(), null), 401, "unauthorized",
                "/v1/manage/trackers");
        assertProblem(api.send("POST", "/admin/accounts", Map.of(), "{}"), 403, "forbidden", "/admin/accounts");
    }

    /**
     * Cross-origin calls are off unless the operator lists origins: a page's preflight is told so, naming the setting
     * (it was a 401 asking for a token the preflight cannot carry), and gets no CORS header.
     */
    @Test
    void aPreflightToAServiceWithoutAllowedOriginsNamesTheSetting() {
        Reply preflight = api.send("OPTIONS", "/v1/manage/trackers", Map.of("Origin", "https://app.example.com",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"), null);
        assertProblem(preflight, 403, "cross-origin-refused", "/v1/manage/trackers");
        assertThat(preflight.text("message")).isEqualTo("This cross-origin request is not allowed: Origin: cross-origin "
                + "calls are off on this service; its operator allows the origins of pages with "
                + "trackers.web.allowed-origins");
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }

    private static void assertProblem(Reply reply, int status, String kind, String instance) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/" + kind);
        assertThat(reply.text("title")).isNotBlank();
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.text("detail")).isNotBlank();
        assertThat(reply.text("message")).isEqualTo(reply.text("detail"));
        assertThat(reply.text("instance")).isEqualTo(instance);
    }

    /**
     * A request whose {@code Accept} the service cannot answer is refused before it does anything: a job, an
     * appended message, an example, an account or a token created and then answered with 406 would be created again
     * by a client that retries.
     */
    @Test
    void anAcceptTheServiceCannotAnswerIs406BeforeAnythingIsStored() {
        String tracker = api.post(account, "/v1/manage/trackers", """
                {"name": "Budget", "vocabulary": ["no money left", "we can't afford it", "money is tight",
                 "no budget", "too expensive"]}""").json().get("tracker").get("id").asString();
        Map<String, String> html = Map.of("Authorization", "Bearer " + account.token(), "Accept", "text/html",
                "Content-Type", "application/json");
        String job = "{\"messages\": [{\"payload\": {\"content\": \"We have no money left.\"}}]}";
        List<Reply> refused = List.of(
                api.send("POST", "/v1/process/text", html, job),
                api.send("POST", "/v1/manage/trackers/" + tracker + "/examples", html,
                        "{\"text\": \"The budget is gone.\", \"match\": true}"),
                api.send("POST", "/oauth2/token:generate", Map.of("Accept", "text/html", "Content-Type",
                        "application/json"), "{\"type\": \"application\", \"appId\": \"x\", \"appSecret\": \"y\"}"));
        for (Reply reply : refused) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(406);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(reply.json().at("/errors/0/field").asString()).isEqualTo("Accept");
            assertThat(reply.json().at("/errors/0/message").asString()).contains("application/json");
        }
        assertThat(api.get(account, "/v1/conversations").json().get("conversations").isEmpty()).isTrue();
        assertThat(api.get(account, "/v1/manage/trackers/" + tracker + "/examples").json().get("examples").isEmpty())
                .isTrue();
    }

    /**
     * {@code POST /v1/match} matched the messages (model runs, scoring) and only then found that it could not write
     * the answer in the {@code Accept} asked for. It is refused before: the detector is not called (the
     * {@code trackers.detection} timer counts its calls), while the same request accepting JSON is matched.
     */
    @Test
    void matchWithAnAcceptItCannotServeIs406BeforeAnyMatching() {
        String body = """
                {"messages": [{"id": "m1", "payload": {"content": "I am short on cash this month."}}],
                 "trackers": [{"name": "Money", "vocabulary": ["short on cash", "no money left", "cannot afford it",
                               "money is tight", "out of budget"]}]}""";
        Timer detections = meters.get("trackers.detection").timer();
        // the counter is the whole service's: work of earlier tests that resumes after a quiet half second (a loaded
        // machine pauses it longer) counts too, so the refused requests are sent again after the next quiet spell.
        // A refused request that is matched counts every time.
        long before;
        List<Reply> refused;
        int tries = 0;
        do {
            before = quietCount(detections);
            refused = List.of("application/xml", "text/html", "application/problem+json").stream()
                    .map(accept -> api.send("POST", "/v1/match", Map.of("Authorization", "Bearer " + account.token(),
                            "Accept", accept), body)).toList();
        } while (detections.count() != before && ++tries < 5);
        assertThat(detections.count()).as("detector calls").isEqualTo(before);
        for (Reply reply : refused) {
            assertProblem(reply, 406, "not-acceptable", "/v1/match");
            assertThat(reply.text("detail")).isEqualTo("Acceptable representations: [application/json].");
        }

        Reply matched = api.send("POST", "/v1/match", Map.of("Authorization", "Bearer " + account.token(),
                "Accept", "application/json"), body);
        assertThat(matched.status()).as(matched.body()).isEqualTo(200);
        assertThat(matched.json().get(0).get("name").asString()).isEqualTo("Money");
        assertThat(detections.count()).as("detector calls").isGreaterThan(before);
    }

    /** The count once it has not moved for half a second: work of earlier tests may still be finishing. */
    private static long quietCount(Timer timer) {
        long count = timer.count();
        for (int i = 0; i < 40; i++) {
            sleep(500);
            if (timer.count() == count) {
                return count;
            }
            count = timer.count();
        }
        throw new AssertionError("the detector never stopped being called");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An audit of every endpoint of the API (actuator aside): each answers JSON to no {@code Accept}, to
     * {@code *}{@code /*}, to {@code application/json} and to a browser's default (which ends in {@code *}{@code /*});
     * each refuses {@code text/html}, {@code application/xml} and {@code application/problem+json} alone (a success
     * is not a problem document: the conversation and analytics reads answered 200 labelled
     * {@code application/problem+json}) with a 406 problem before it reads anything, so a missing id is a 406 there
     * and a 404 otherwise. Errors met before an endpoint is chosen (401, no endpoint) are problems whatever the
     * {@code Accept}, and the streaming WebSocket upgrade, which has no representation to negotiate, ignores it.
     */
    @Test
    void everyEndpointAnswersJsonOrA406ProblemBeforeReadingAnything() {
        String tracker = api.post(account, "/v1/manage/trackers", ServiceClient.tracker("Budget", "no money left",
                "we cannot afford it", "money is tight", "no budget", "too expensive")).json().get("tracker")
                .get("id").asString();
        JsonNode job = api.post(account, "/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"We have no money left.\"}}]}").json();
        String conversation = job.get("conversationId").asString();
        List<String> reads = List.of("/v1/conversations", "/v1/conversations/" + conversation,
                "/v1/conversations/" + conversation + "/messages", "/v1/conversations/" + conversation + "/trackers",
                "/v1/conversations/" + conversation + "/trackers-detected", "/v1/job/" + job.get("jobId").asString(),
                "/v1/analytics/trackers", "/v1/webhook-secret", "/v1/manage/trackers",
                "/v1/manage/trackers?name=Budget", "/v1/manage/trackers/" + tracker, "/v1/manage/tracker/" + tracker,
                "/v1/manage/trackers/" + tracker + "/examples");
        List<String> missing = List.of("/v1/conversations/missing", "/v1/conversations/missing/messages",
                "/v1/conversations/missing/trackers", "/v1/job/missing", "/v1/manage/trackers/missing",
                "/v1/manage/trackers/missing/examples", "/v1/manage/trackers/missing/suggestions");
        String match = "{\"messages\": [{\"payload\": {\"content\": \"We have no money left.\"}}]}";
        List<String> served = java.util.Arrays.asList(null, "*/*", "application/json",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        List<String> refused = List.of("text/html", "application/xml", "application/problem+json");

        for (String accept : served) {
            for (String path : reads) {
                Reply reply = api.send("GET", path, accepting(accept), null);
                assertThat(reply.status()).as(accept + " " + path).isEqualTo(200);
                assertThat(reply.contentType()).as(accept + " " + path).isEqualTo("application/json");
            }
            for (String path : missing) {
                assertProblem(api.send("GET", path, accepting(accept), null), 404, "not-found", path);
            }
            Reply matched = api.send("POST", "/v1/match", accepting(accept), match);
            assertThat(matched.status()).as(accept + " /v1/match").isEqualTo(200);
            assertThat(matched.contentType()).isEqualTo("application/json");
        }
        for (String accept : refused) {
            for (String path : concat(reads, missing)) {
                Reply reply = api.send("GET", path, accepting(accept), null);
                assertProblem(reply, 406, "not-acceptable", path.replaceFirst("\\?.*", ""));
            }
            assertProblem(api.send("POST", "/v1/match", accepting(accept), match), 406, "not-acceptable",
                    "/v1/match");
            assertProblem(api.send("GET", "/v1/conversations", Map.of("Accept", accept), null), 401, "unauthorized",
                    "/v1/conversations");
            assertProblem(api.send("GET", "/v1/nothing", accepting(accept), null), 404, "not-found", "/v1/nothing");
            try (TestSocket socket = TestSocket.open(URI.create("ws://localhost:" + port + "/v1/streaming/"
                    + UUID.randomUUID() + "?access_token=" + account.token()), Map.of("Accept", accept))) {
                socket.send("{\"type\": \"start_request\", \"trackers\": []}");
                assertThat(socket.next().toString()).as(accept).contains("started_listening");
            }
        }
    }

    /**
     * An {@code Accept} that is no list of media types was an empty 406 (or an empty 404 or 405 where no endpoint
     * answers): Spring negotiated the problem's representation with the same header and dropped the body. It is a
     * 400 problem naming the header, on every path, before anything is stored; the WebSocket upgrade ignores it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"foo", "application/json, foo", "application/json;q=2", "application/json;q=abc",
            "application/"})
    void anAcceptThatIsNoListOfMediaTypesIsA400NamingIt(String accept) {
        Map<String, String> headers = Map.of("Authorization", "Bearer " + account.token(), "Accept", accept,
                "Content-Type", "application/json");
        for (String[] request : List.of(new String[] {"GET", "/v1/manage/trackers"},
                new String[] {"GET", "/v1/manage/trackers/missing"}, new String[] {"GET", "/v1/nothing"},
                new String[] {"DELETE", "/v1/match"}, new String[] {"POST", "/v1/process/text"})) {
            Reply reply = api.send(request[0], request[1], headers,
                    "{\"messages\": [{\"payload\": {\"content\": \"We have no money left.\"}}]}");
            assertProblem(reply, 400, "invalid-request", request[1]);
            assertThat(reply.json().at("/errors/0/field").asString()).isEqualTo("Accept");
            assertThat(reply.text("detail")).startsWith("Accept: is not a list of media types");
        }
        assertThat(api.get(account, "/v1/conversations").json().get("conversations").isEmpty()).isTrue();
        try (TestSocket socket = TestSocket.open(URI.create("ws://localhost:" + port + "/v1/streaming/"
                + UUID.randomUUID() + "?access_token=" + account.token()), Map.of("Accept", accept))) {
            socket.send("{\"type\": \"start_request\", \"trackers\": []}");
            assertThat(socket.next().toString()).contains("started_listening");
        }
    }

    /**
     * A quality of 0 says "not acceptable" (RFC 9110 section 12.5.1): {@code Accept: application/json;q=0} was served
     * JSON with 200, and a POST with it created what it sent. It is a 406 before anything is read or stored, without
     * a body when the client refused JSON outright (the problem is JSON too), with the problem when the client admits
     * {@code application/problem+json}. JSON at a quality above 0, or admitted by a range more specific than the one
     * refusing it, is served as before.
     */
    @Test
    void anAcceptThatGivesJsonAQualityOfZeroIs406BeforeAnythingIsStored() {
        String tracker = api.post(account, "/v1/manage/trackers", ServiceClient.tracker("Budget", "no money left",
                "we cannot afford it", "money is tight", "no budget", "too expensive")).json().get("tracker")
                .get("id").asString();
        for (String accept : List.of("application/json;q=0", "*/*;q=0", "application/json;q=0, text/html",
                "application/*;q=0")) {
            Reply read = api.send("GET", "/v1/manage/trackers/" + tracker, accepting(accept), null);
            assertThat(read.status()).as(accept).isEqualTo(406);
            assertThat(read.body()).as(accept).isEmpty();
            Reply create = api.send("POST", "/v1/manage/trackers", accepting(accept),
                    ServiceClient.tracker("Refused " + accept.length()));
            assertThat(create.status()).as(accept).isEqualTo(406);
        }
        assertThat(api.get(account, "/v1/manage/trackers").json().get("trackers")).hasSize(1);

        for (String accept : List.of("application/json;q=0, application/problem+json", "application/json;q=0, */*")) {
            Reply withProblem = api.send("GET", "/v1/manage/trackers/" + tracker, accepting(accept), null);
            assertProblem(withProblem, 406, "not-acceptable", "/v1/manage/trackers/" + tracker);
            assertThat(withProblem.text("detail")).isEqualTo("Acceptable representations: [application/json].");
        }

        for (String accept : List.of("application/*", "application/json;q=0.1", "application/json; charset=utf-8",
                "text/html;q=0, */*", "*/*;q=0, application/json", "application/*;q=0, application/json;q=0.5")) {
            Reply read = api.send("GET", "/v1/manage/trackers/" + tracker, accepting(accept), null);
            assertThat(read.status()).as(accept).isEqualTo(200);
            assertThat(read.contentType()).as(accept).startsWith("application/json");
        }
    }

    private Map<String, String> accepting(String accept) {
        return accept == null ? bearer(account) : Map.of("Authorization", "Bearer " + account.token(), "Accept", accept);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }

    /**
     * A teaching audit: a member given twice ({@code "match": true, "match": false}) was read as its last value, so a
     * client's bug stored the opposite label without a word. It is refused, naming the member.
     */
    @Test
    void aMemberGivenTwiceIsRefusedNamingIt() {
        Reply reply = api.post(account, "/v1/manage/trackers", """
                {"name": "Twice", "name": "Once", "vocabulary": ["aa one", "bb two", "cc three", "dd four",
                 "ee five"]}""");
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.text("detail")).contains("the member \"name\" is given twice in one object");
        assertThat(api.get(account, "/v1/manage/trackers").json().get("trackers").isEmpty()).isTrue();
    }

    @Test
    void bodiesOverOneMegabyteAre413WithContentLength() {
        Reply reply = api.post(account, "/v1/manage/trackers", largeJson());
        assertPayloadTooLarge(reply);
    }

    @Test
    void chunkedBodiesOverOneMegabyteAre413() {
        byte[] body = largeJson().getBytes(StandardCharsets.UTF_8);
        // ofInputStream has no known length, so the client sends Transfer-Encoding: chunked
        Reply reply = api.sendRaw("POST", "/v1/manage/trackers", bearer(account),
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertPayloadTooLarge(reply);
        assertThat(api.get(account, "/v1/manage/trackers").json().get("trackers").isEmpty()).isTrue();
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        // 1 MB of JSON that is well-formed but not a valid tracker: the size check must not refuse it
        String padding = "x".repeat(1024 * 1024 - 100);
        Reply reply = api.post(account, "/v1/manage/trackers", "{\"name\":\"" + padding + "\"}");
        assertThat(reply.status()).isEqualTo(400);
    }

    private static void assertPayloadTooLarge(Reply reply) {
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/payload-too-large");
        assertThat(reply.text("message")).isEqualTo(reply.text("detail")).contains("1024 KB");
        assertThat(reply.text("instance")).isEqualTo("/v1/manage/trackers");
        assertThat(reply.json().at("/errors/0/field").asString()).isEqualTo("body");
        assertThat(reply.json().at("/errors/0/message").asString()).contains("1024 KB", "PUT /v1/process/text");
    }

    /** A body that is no JSON at all names the body, as every other 400 names its field. */
    @Test
    void aBodyThatIsNoJsonIsNamed() {
        Reply reply = api.post(account, "/v1/manage/trackers", "{\"name\": \"Cut\",");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text("detail")).startsWith("Malformed request body: ");
        assertThat(reply.json().at("/errors/0/field").asString()).isEqualTo("body");
    }

    private static String largeJson() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; json.length() < 1_300_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"Tracker ").append(i)
                    .append("\",\"vocabulary\":[\"one\",\"two\",\"three\",\"four\",\"five\"]}");
        }
        return json.append("]").toString();
    }

    /**
     * Requests refused before a controller runs: by Spring Security's firewall, by Tomcat while it reads the request
     * line (java.net.http refuses to send most of these URLs, so they go over a plain socket), by Tomcat's parameter
     * parsing, and by the storable-text rule for query parameters.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/job/%2e%2e", "/v1/job/..%2F..%2Fetc%2Fpasswd", "/v1/job/%00", "/v1/job/%ED%A0%80",
            "/v1/job/a%5Cb", "/v1/manage/trackers?name=%ED%A0%80", "/v1/manage/trackers?name=%00"})
    void requestsRefusedBeforeAnyControllerAreProblems(String target) throws IOException {
        RawReply reply = raw("GET " + target);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.contentType()).as(reply.toString()).startsWith("application/problem+json");
        JsonNode problem = ServiceClient.JSON.readTree(reply.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://opentrackers.io/problems/invalid-request");
        assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(problem.get("message").asString()).isEqualTo(problem.get("detail").asString());
        assertThat(problem.get("instance").asString()).isEqualTo(target.replaceFirst("\\?.*", ""));
    }

    @Test
    void aRequestLineOverTheSizeLimitIsAProblemNamingItsOccurrence() throws IOException {
        RawReply reply = raw("GET /v1/job/x?q=" + "a".repeat(20_000));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode problem = ServiceClient.JSON.readTree(reply.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://opentrackers.io/problems/invalid-request");
        assertThat(problem.get("message").asString()).isEqualTo(problem.get("detail").asString()).isNotBlank();
        // Tomcat could not read the path, so the instance names the occurrence instead
        assertThat(problem.get("instance").asString()).startsWith("urn:uuid:");
    }

    /**
     * A 405's {@code Allow} lists every method the path takes (RFC 9110 section 15.5.6), as {@code OPTIONS} answers
     * it: it left out HEAD and OPTIONS, which every GET path takes, so a client could not tell them from the 405.
     */
    @Test
    void aMethodNotAllowedListsEveryMethodThePathTakes() {
        String tracker = api.post(account, "/v1/manage/trackers", ServiceClient.tracker("Allowed")).json()
                .get("tracker").get("id").asString();
        // GET /v1/manage/trackers/bulk answered "No tracker with id 'bulk'" (a wire audit)
        Map<String, String> wrongMethods = Map.of("/v1/manage/trackers", "DELETE", "/v1/manage/trackers/" + tracker,
                "POST", "/v1/manage/tracker/" + tracker, "POST", "/v1/match", "GET", "/v1/webhook-secret", "POST",
                "/v1/manage/trackers/bulk", "GET");
        wrongMethods.forEach((path, method) -> {
            Reply refused = api.send(method, path, bearer(account), null);
            assertProblem(refused, 405, "method-not-allowed", path);
            Reply options = api.send("OPTIONS", path, bearer(account), null);
            assertThat(options.status()).isEqualTo(200);
            assertThat(methods(refused.header("Allow"))).as(method + " " + path)
                    .isEqualTo(methods(options.header("Allow")));
            assertThat(refused.text("detail")).as(path).contains(method).contains(refused.header("Allow"));
        });
    }

    private static java.util.Set<String> methods(String allow) {
        return java.util.Arrays.stream(allow.split(",")).map(String::strip).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void errorsOfTheFrameworkCarryATypeForTheirStatus() {
        assertProblem(api.send("DELETE", "/v1/match", bearer(account), null), 405, "method-not-allowed", "/v1/match");
        assertProblem(api.send("POST", "/v1/match", Map.of("Authorization", "Bearer " + account.token(),
                "Content-Type", "text/foo"), "x"), 415, "unsupported-media-type", "/v1/match");
        assertProblem(api.get(account, "/v1/no-such-thing"), 404, "not-found", "/v1/no-such-thing");
        assertProblem(api.send("GET", "/error", Map.of(), null), 404, "not-found", "/error");
    }

    /**
     * An audit of the Async API: a body sent without a Content-Type got "Content-Type 'null' is not supported". The
     * problem says what was missing or refused, and which types the endpoint reads.
     */
    @Test
    void aMissingOrRefusedContentTypeIsNamedWithTheTypesTheEndpointReads() throws IOException {
        RawReply missing = raw("POST /v1/process/text", "{\"messages\": []}");
        assertThat(missing.status()).isEqualTo(415);
        assertThat(ServiceClient.JSON.readTree(missing.body()).get("detail").asString())
                .startsWith("The request has no Content-Type header; send one of: ")
                .contains("application/json", "text/vtt", "application/x-subrip");
        Reply refused = api.send("POST", "/v1/match", Map.of("Authorization", "Bearer " + account.token(),
                "Content-Type", "text/foo"), "x");
        assertThat(refused.text("detail"))
                .startsWith("Content-Type 'text/foo' is not accepted here; send one of: application/json");
        assertThat(refused.json().at("/errors/0/field").asString()).isEqualTo("Content-Type");
        assertThat(refused.json().at("/errors/0/message").asString()).startsWith("must be one of: application/json");
        // a wire audit: a transcript whose charset the service does not know was told it had no Content-Type
        Reply unknownCharset = api.send("POST", "/v1/process/text", Map.of("Authorization", "Bearer "
                + account.token(), "Content-Type", "text/vtt; charset=bogus"), "WEBVTT\n");
        assertThat(unknownCharset.status()).isEqualTo(415);
        assertThat(unknownCharset.text("detail")).startsWith("Content-Type 'text/vtt; charset=bogus' cannot be read")
                .contains("bogus", "send one of: ").doesNotContain("no Content-Type");
    }

    /**
     * A teaching audit: Spring registered a YAML converter because swagger-core brings Jackson 2's YAML format along.
     * A body sent as {@code application/yaml} was a 500 on every endpoint (Jackson 2 cannot build Jackson 3's
     * {@code JsonNode}), and {@code Accept: application/yaml} answered dates as epoch seconds, unlike the JSON of the
     * contract. The API reads and writes JSON only: a YAML body is a 415 that names the types read, YAML asked for
     * is a 406; the OpenAPI document stays available as YAML.
     */
    @Test
    void yamlIsNeitherReadNorWrittenByTheApi() {
        String tracker = api.post(account, "/v1/manage/trackers", ServiceClient.tracker("Pricing", "price", "cost",
                "fee", "rate", "charge")).json().get("tracker").get("id").asString();
        Map<String, String> yaml = Map.of("Authorization", "Bearer " + account.token(), "Content-Type",
                "application/yaml");
        Reply example = api.send("POST", "/v1/manage/trackers/" + tracker + "/examples", yaml,
                "text: Is there a cheaper plan?\nmatch: true\n");
        assertProblem(example, 415, "unsupported-media-type", "/v1/manage/trackers/" + tracker + "/examples");
        assertThat(example.text("detail")).isEqualTo("Content-Type 'application/yaml' is not accepted here; send one "
                + "of: application/json, application/*+json.");
        assertProblem(api.send("POST", "/v1/manage/trackers", yaml, "name: Budget\n"), 415, "unsupported-media-type",
                "/v1/manage/trackers");
        assertThat(api.get(account, "/v1/manage/trackers/" + tracker + "/examples").json().get("examples")).isEmpty();

        Reply asYaml = api.send("GET", "/v1/manage/trackers/" + tracker, Map.of("Authorization",
                "Bearer " + account.token(), "Accept", "application/yaml"), null);
        assertProblem(asYaml, 406, "not-acceptable", "/v1/manage/trackers/" + tracker);
        assertThat(asYaml.text("detail")).doesNotContain("yaml");

        Reply document = api.send("GET", "/v3/api-docs.yaml", bearer(account), null);
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body()).startsWith("openapi:");
    }

    /**
     * A user audit: a path that does not exist answered {@code "No static resource v1/manage/Trackers."}, which is
     * how Spring looks for it, not what the client asked for. The static UI is still served from its paths.
     */
    @Test
    void aPathWithoutAnEndpointIsA404NamingTheRequestNotTheFramework() {
        Reply wrongCase = api.get(account, "/v1/manage/Trackers");
        assertProblem(wrongCase, 404, "not-found", "/v1/manage/Trackers");
        assertThat(wrongCase.text("detail")).isEqualTo("No endpoint GET /v1/manage/Trackers. Paths are "
                + "case-sensitive: did you mean /v1/manage/trackers?");
        assertThat(api.get(account, "/v1/job/").text("detail")).isEqualTo("No endpoint GET /v1/job/.");
        // a client ported from Symbl is told why its audio and its other insights are not here
        assertThat(api.post(account, "/v1/process/audio", "{}").text("detail")).startsWith("No endpoint POST "
                + "/v1/process/audio. This service reads text and has no speech recognition");
        assertThat(api.get(account, "/v1/conversations/3f1c/questions").text("detail")).isEqualTo("No endpoint GET "
                + "/v1/conversations/3f1c/questions. This service finds tracker hits only and provides no questions; "
                + "the conversation's hits: GET /v1/conversations/3f1c/trackers.");
        Reply post = api.post(account, "/v1/nothing/here", "{}");
        assertProblem(post, 404, "not-found", "/v1/nothing/here");
        assertThat(post.text("detail")).isEqualTo("No endpoint POST /v1/nothing/here.");
        Reply asset = api.send("GET", "/ui/js/no-such-module.js", Map.of(), null);
        assertProblem(asset, 404, "not-found", "/ui/js/no-such-module.js");
        assertThat(asset.text("detail")).isEqualTo("No endpoint GET /ui/js/no-such-module.js.");

        assertThat(api.send("GET", "/", Map.of(), null).status()).isEqualTo(200);
        Reply module = api.send("GET", "/ui/js/rules.js", Map.of(), null);
        assertThat(module.status()).isEqualTo(200);
        assertThat(module.contentType()).contains("javascript");
    }

    record RawReply(int status, String contentType, String body) {
    }

    /**
     * One request over a plain socket, the method and target written byte for byte as given; HTTP/1.0, so that the
     * answer is not chunked.
     */
    private RawReply raw(String methodAndTarget) throws IOException {
        return raw(methodAndTarget, "");
    }

    /** A request with exactly these headers (no Content-Type), and {@code body} when not empty. */
    private RawReply raw(String methodAndTarget, String body) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write((methodAndTarget + " HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer "
                    + account.token() + (content.length > 0 ? "\r\nContent-Length: " + content.length : "")
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, headersEnd);
            String contentType = headers.lines().filter(line -> line.regionMatches(true, 0, "Content-Type:", 0, 13))
                    .map(line -> line.substring(13).strip()).findFirst().orElse("");
            return new RawReply(Integer.parseInt(headers.substring(9, 12)), contentType,
                    response.substring(headersEnd + 4));
        }
    }
}
