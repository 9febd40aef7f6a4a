package io.opentrackers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plain HTTP client for tests against the running service: real requests on the wire (headers, chunked
 * bodies, status codes) without Spring's client-side conveniences hiding what a user's client would see.
 */
public final class ServiceClient {

    public static final String OPERATOR_KEY = "test-operator-key";
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ServiceClient(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A response: status, content type, the body parsed as JSON (null when it is not JSON) and the headers. */
    public record Reply(int status, String contentType, String body, JsonNode json, HttpHeaders headers) {

        /** The header's value, or null when the response has none. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String text(String member) {
            JsonNode value = json.get(member);
            return value == null ? null : value.asString();
        }
    }

    /** An account created through the admin API, with a token for it. */
    public record Account(String id, String appId, String appSecret, String token) {
    }

    public Account newAccount() {
        String appId = "test-" + UUID.randomUUID();
        String secret = "secret-" + UUID.randomUUID();
        Reply created = send("POST", "/admin/accounts", Map.of("X-Operator-Key", OPERATOR_KEY),
                JSON.createObjectNode().put("appId", appId).put("appSecret", secret));
        if (created.status() != 201) {
            throw new IllegalStateException("account creation failed: " + created.body());
        }
        return new Account(created.text("id"), appId, secret, token(appId, secret));
    }

    public String token(String appId, String appSecret) {
        Reply reply = send("POST", "/oauth2/token:generate", Map.of(), JSON.createObjectNode()
                .put("type", "application").put("appId", appId).put("appSecret", appSecret));
        if (reply.status() != 200) {
            throw new IllegalStateException("token generation failed: " + reply.body());
        }
        return reply.text("accessToken");
    }

    public Reply get(Account account, String path) {
        return send("GET", path, bearer(account), null);
    }

    public Reply delete(Account account, String path) {
        return send("DELETE", path, bearer(account), null);
    }

    public Reply post(Account account, String path, Object body) {
        return send("POST", path, bearer(account), body);
    }

    public Reply put(Account account, String path, Object body) {
        return send("PUT", path, bearer(account), body);
    }

    public Reply patch(Account account, String path, Object body) {
        return send("PATCH", path, bearer(account), body);
    }

    public static Map<String, String> bearer(Account account) {
        return Map.of("Authorization", "Bearer " + account.token());
    }

    /** {@code body}: null (no body), a String sent verbatim, or anything else written as JSON. */
    public Reply send(String method, String path, Map<String, String> headers, Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        return sendRaw(method, path, headers, publisher);
    }

    public Reply sendRaw(String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60)).method(method, body).header("Content-Type", "application/json");
        headers.forEach(request::setHeader);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            JsonNode json = null;
            if (contentType.contains("json") && !response.body().isEmpty()) {
                json = JSON.readTree(response.body());
            }
            return new Reply(response.statusCode(), contentType, response.body(), json, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A valid tracker body: the name plus phrases "{name} phrase one" ... (five by default). */
    public static ObjectNode tracker(String name, String... phrases) {
        ObjectNode tracker = JSON.createObjectNode().put("name", name);
        ArrayNode vocabulary = tracker.putArray("vocabulary");
        List<String> list = phrases.length > 0 ? List.of(phrases)
                : IntStream.rangeClosed(1, 5).mapToObj(i -> "sample phrase " + i).toList();
        list.forEach(vocabulary::add);
        return tracker;
    }

    public static ArrayNode array(JsonNode... items) {
        ArrayNode array = JSON.createArrayNode();
        for (JsonNode item : items) {
            array.add(item);
        }
        return array;
    }

    public static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
