package io.opentrackers;

import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for integration tests: creates accounts through the admin API, holds a token and returns
 * every response (2xx or not) as status + parsed JSON, so tests assert exactly what a client would see.
 */
public final class TestApi {

    public record Response(int status, JsonNode body, HttpHeaders headers) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RestClient client;
    private final String token;
    private final String accountId;
    private final String appId;

    private TestApi(RestClient client, String token, String accountId, String appId) {
        this.client = client;
        this.token = token;
        this.accountId = accountId;
        this.appId = appId;
    }

    /** The account's appId (its appSecret is {@link #APP_SECRET}), for clients that sign in themselves (the UI). */
    public String appId() {
        return appId;
    }

    public static final String APP_SECRET = "secret-123";

    /** The account's id (the token's subject). */
    public String accountId() {
        return accountId;
    }

    /** The account's access token, for clients that authenticate themselves (WebSocket, SDKs). */
    public String token() {
        return token;
    }

    /** A fresh account with its own token, on the service at {@code baseUrl}. */
    public static TestApi newAccount(String baseUrl) {
        RestClient client = RestClient.create(baseUrl);
        String appId = "app-" + UUID.randomUUID();
        String body = "{\"appId\":\"" + appId + "\",\"appSecret\":\"" + APP_SECRET + "\"}";
        String created = client.post().uri("/admin/accounts").header("X-Operator-Key", "test-operator-key")
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(String.class);
        String tokenJson = client.post().uri("/oauth2/token:generate").contentType(MediaType.APPLICATION_JSON)
                .body("{\"type\":\"application\",\"appId\":\"" + appId + "\",\"appSecret\":\"" + APP_SECRET + "\"}")
                .retrieve().body(String.class);
        return new TestApi(client, JSON.readTree(tokenJson).get("accessToken").asString(),
                JSON.readTree(created).get("id").asString(), appId);
    }

    /** An existing account with a token obtained elsewhere. */
    public static TestApi withToken(String baseUrl, String token, String accountId, String appId) {
        return new TestApi(RestClient.create(baseUrl), token, accountId, appId);
    }

    /** The same account and token, sent to another instance of the service (sharing the database). */
    public static TestApi sameAccountOn(TestApi api, String baseUrl) {
        return new TestApi(RestClient.create(baseUrl), api.token, api.accountId, api.appId);
    }

    public Response get(String path) {
        return send(HttpMethod.GET, path, null, null);
    }

    /** The texts of the tracker's suggestions ({@code GET …/suggestions}), in their order; fails unless 200. */
    public java.util.List<String> suggestionTexts(String trackerId) {
        Response response = get("/v1/manage/trackers/" + trackerId + "/suggestions");
        if (response.status() != 200) {
            throw new AssertionError("suggestions answered " + response.status() + ": " + response.body());
        }
        java.util.List<String> texts = new java.util.ArrayList<>();
        response.body().get("suggestions").forEach(s -> texts.add(s.get("text").asString()));
        return texts;
    }

    public Response post(String path, String json) {
        return send(HttpMethod.POST, path, MediaType.APPLICATION_JSON, json);
    }

    public Response put(String path, String json) {
        return send(HttpMethod.PUT, path, MediaType.APPLICATION_JSON, json);
    }

    public Response send(HttpMethod method, String path, MediaType contentType, String body) {
        return send(method, path, contentType, body, java.util.Map.of());
    }

    /** {@link #send(HttpMethod, String, MediaType, String)} with more request headers ({@code If-Match} …). */
    public Response send(HttpMethod method, String path, MediaType contentType, String body,
            java.util.Map<String, String> headers) {
        RestClient.RequestBodySpec request = client.method(method).uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        headers.forEach(request::header);
        if (body != null) {
            request.contentType(contentType).body(body);
        }
        ResponseEntity<String> response = request.retrieve()
                .onStatus(status -> true, (req, res) -> { })
                .toEntity(String.class);
        String text = response.getBody();
        JsonNode json = text == null || text.isBlank() ? null : JSON.readTree(text);
        return new Response(response.getStatusCode().value(), json, response.getHeaders());
    }

    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
