package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document as a client reads it at {@code /v3/api-docs}: complete enough to generate a client from
 * (schemas, status codes, problems, examples), authenticated the way the service is, and covering every
 * endpoint the application maps. Also the AsyncAPI document of the Streaming API, which OpenAPI cannot describe.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentIT {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    BuildProperties build;

    JsonNode doc;

    @BeforeEach
    void fetchDocument() {
        String text = RestClient.create("http://localhost:" + port).get().uri("/v3/api-docs").retrieve()
                .body(String.class);
        doc = JsonMapper.builder().build().readTree(text);
    }

    @Test
    void hasARealTitleAndTheBuildsVersion() {
        assertThat(doc.at("/info/title").asString()).isEqualTo("OpenTrackers API");
        assertThat(doc.at("/info/version").asString()).isEqualTo(build.getVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(doc.at("/info/description").asString()).contains("docs/asyncapi.yaml");
    }

    @Test
    void bearerTokensAreTheDefaultAndOnlyTheTokenAndAdminEndpointsDeviate() {
        JsonNode schemes = doc.at("/components/securitySchemes");
        assertThat(schemes.at("/bearer/type").asString()).isEqualTo("http");
        assertThat(schemes.at("/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.at("/bearer/bearerFormat").asString()).isEqualTo("JWT");
        assertThat(schemes.at("/apiKey/name").asString()).isEqualTo("x-api-key");
        assertThat(schemes.at("/operatorKey/name").asString()).isEqualTo("X-Operator-Key");
        assertThat(requirementNames(doc.get("security"))).containsExactly("bearer", "apiKey");

        forEachOperation((id, operation) -> {
            JsonNode security = operation.get("security");
            if (security != null) {
                requirementNames(security).forEach(name -> assertThat(schemes.has(name)).as(id + " uses " + name).isTrue());
            }
        });
        assertThat(operation("post", "/oauth2/token:generate").get("security")).isEmpty();
        assertThat(requirementNames(operation("post", "/admin/accounts").get("security"))).containsExactly("operatorKey");
        assertThat(operation("get", "/v1/manage/trackers").has("security")).as("inherits the bearer").isFalse();
        assertThat(operation("get", "/v1/manage/trackers").at("/responses/401").isMissingNode()).isFalse();
    }

    @Test
    void documentsOnlyParametersAClientSends() {
        forEachOperation((id, operation) -> {
            for (JsonNode parameter : operation.path("parameters")) {
                assertThat(parameter.get("name").asString()).as(id).isNotIn("account", "parameters", "Content-Type",
                        "X-Operator-Key");
                assertThat(parameter.has("example") || parameter.at("/schema/example").isValueNode())
                        .as(id + " parameter " + parameter.get("name") + " has an example").isTrue();
            }
        });
        for (String path : List.of("/v1/process/text", "/v1/process/text/{conversationId}")) {
            String method = path.endsWith("}") ? "put" : "post";
            List<String> query = new ArrayList<>();
            for (JsonNode parameter : operation(method, path).get("parameters")) {
                if ("query".equals(parameter.get("in").asString())) {
                    query.add(parameter.get("name").asString());
                    assertThat(parameter.path("required").asBoolean(false)).as(parameter.toString()).isFalse();
                }
            }
            assertThat(query).containsExactlyInAnyOrder("name", "webhookUrl", "enableAllTrackers", "trackerId",
                    "startTime", "speakerRoles");
            assertThat(names(operation(method, path).at("/requestBody/content"))).as(path)
                    .containsExactlyInAnyOrder("application/json", "text/vtt", "application/x-subrip");
        }
        // the list's search, count and numbered pages are documented with its filters
        List<String> listed = new ArrayList<>();
        operation("get", "/v1/conversations").get("parameters").forEach(p -> listed.add(p.get("name").asString()));
        assertThat(listed).containsExactlyInAnyOrder("limit", "after", "trackerId", "from", "to", "q", "offset",
                "include");
        assertThat(operation("get", "/v1/conversations").at("/responses/200/content/application~1json/examples")
                .toString()).contains("total");
        assertThat(doc.at("/components/schemas/ConversationsResponse/properties").has("total")).isTrue();
    }

    @Test
    void everyOperationHasASuccessWithSchemaAndExampleAndProblemResponses() {
        forEachOperation((id, operation) -> {
            boolean success = false;
            boolean problem = false;
            for (Map.Entry<String, JsonNode> response : operation.get("responses").properties()) {
                String status = response.getKey();
                if (status.equals("204") && !response.getValue().has("content")) {
                    success = true; // No Content: nothing to describe (DELETE /admin/accounts/{appId})
                }
                for (Map.Entry<String, JsonNode> media : response.getValue().path("content").properties()) {
                    boolean described = media.getValue().has("schema") && hasExample(media.getValue());
                    if (status.startsWith("2") && described) {
                        success = true;
                    }
                    if (status.startsWith("4")) {
                        assertThat(media.getKey()).as(id + " " + status).isEqualTo("application/problem+json");
                        assertThat(media.getValue().at("/schema/$ref").asString()).as(id + " " + status)
                                .isEqualTo("#/components/schemas/Problem");
                        assertThat(hasExample(media.getValue())).as(id + " " + status + " example").isTrue();
                        problem = true;
                    }
                }
                if (status.startsWith("4")) {
                    assertThat(response.getValue().has("content")).as(id + " " + status + " has a body").isTrue();
                }
            }
            assertThat(success).as(id + " has a 2xx response with a schema and an example").isTrue();
            assertThat(problem).as(id + " has a 4xx problem response").isTrue();
            // the database out of reach: a problem with Retry-After, whatever the operation (DatabaseOutageIT)
            assertThat(operation.at("/responses/503/content/application~1problem+json/schema/$ref").asString())
                    .as(id + " 503").isEqualTo("#/components/schemas/Problem");
            assertThat(operation.at("/responses/503/headers/Retry-After").isObject()).as(id + " 503 Retry-After")
                    .isTrue();
            if (operation.has("requestBody")) {
                assertThat(operation.at("/responses/413").isObject()).as(id + " 413").isTrue();
                for (Map.Entry<String, JsonNode> media : operation.at("/requestBody/content").properties()) {
                    assertThat(media.getValue().has("schema") && hasExample(media.getValue()))
                            .as(id + " request " + media.getKey() + " has a schema and an example").isTrue();
                }
            }
            if (id.contains("{")) {
                assertThat(operation.at("/responses/404").isObject()).as(id + " 404").isTrue();
            }
        });
    }

    @Test
    void theProblemSchemaHasTheMembersOfEveryErrorResponse() {
        JsonNode problem = doc.at("/components/schemas/Problem/properties");
        // version and etag: what a 412 (precondition-failed) adds
        assertThat(names(problem)).containsExactlyInAnyOrder("type", "title", "status", "detail", "instance",
                "message", "errors", "version", "etag");
        String itemRef = problem.at("/errors/items/$ref").asString();
        JsonNode item = doc.at(itemRef.substring(1)).get("properties");
        assertThat(names(item)).containsExactlyInAnyOrder("index", "field", "message");
    }

    @Test
    void creationsAreDocumentedAs201AndSpecificConflictsAndLimitsAreThere() {
        for (String[] created : new String[][] {{"post", "/v1/manage/trackers"}, {"post", "/v1/manage/tracker"},
                {"post", "/v1/manage/trackers/bulk"}, {"post", "/v1/process/text"},
                {"put", "/v1/process/text/{conversationId}"}, {"post", "/admin/accounts"}}) {
            JsonNode responses = operation(created[0], created[1]).get("responses");
            assertThat(names(responses)).as(String.join(" ", created)).contains("201").doesNotContain("200");
        }
        // a wire audit: 415, 406 and the token endpoint's 429 are answered and were not documented
        assertThat(names(operation("post", "/v1/manage/trackers").get("responses")))
                .contains("400", "401", "406", "409", "413", "415");
        assertThat(names(operation("post", "/oauth2/token:generate").get("responses"))).contains("401", "429");
        assertThat(names(operation("patch", "/v1/manage/trackers/{id}").get("responses"))).contains("404", "409");
        assertThat(names(operation("post", "/v1/process/text").get("responses"))).contains("429");
        assertThat(operation("post", "/v1/process/text").at("/responses/429/headers/Retry-After").isObject()).isTrue();
        assertThat(names(operation("post", "/admin/accounts").get("responses"))).contains("403").doesNotContain("401");
        assertThat(names(operation("get", "/v1/job/{jobId}").get("responses"))).containsExactly("200", "400", "401", "404", "406", "503");
        // a client generated from the document can send a retry's key and read whether it was replayed
        for (String[] submit : new String[][] {{"post", "/v1/process/text"}, {"put", "/v1/process/text/{conversationId}"}}) {
            JsonNode operation = operation(submit[0], submit[1]);
            assertThat(operation.get("parameters").findValuesAsString("name")).as(submit[1]).contains("Idempotency-Key");
            assertThat(names(operation.get("responses"))).as(submit[1]).contains("422");
            assertThat(operation.at("/responses/201/headers/Idempotent-Replayed").isObject()).as(submit[1]).isTrue();
        }
    }

    /**
     * A management audit: a client generated from the document would have sent a tracker's window as
     * {@code {"seconds": "60"}} (typed string, which the API refuses), read {@code /v1/match}'s array as an object
     * with an {@code empty} member, and offered a {@code reference} member that no request reads (a Java getter).
     */
    @Test
    void schemasDescribeTheJsonTheApiReadsAndWrites() {
        JsonNode schemas = doc.at("/components/schemas");
        for (String number : List.of("seconds", "messages")) {
            assertThat(typeOf(schemas.at("/TrackerWindow/properties/" + number))).as(number).isEqualTo("integer");
        }
        assertThat(names(schemas.at("/TrackerReference/properties"))).containsExactlyInAnyOrder("id", "name",
                "vocabulary", "sensitivity", "speaker", "window", "exclude");

        JsonNode answer = operation("post", "/v1/match").at("/responses/200/content/application~1json/schema");
        JsonNode union = answer.has("$ref") ? doc.at(answer.get("$ref").asString().substring(1)) : answer;
        JsonNode plain = union.at("/oneOf/0");
        JsonNode results = plain.has("$ref") ? doc.at(plain.get("$ref").asString().substring(1)) : plain;
        assertThat(typeOf(results)).isEqualTo("array");
        assertThat(results.at("/items/$ref").asString()).isEqualTo("#/components/schemas/TrackerResult");
        assertThat(results.has("properties")).isFalse();

        // an explanation candidate's optional members, described
        JsonNode candidate = schemas.at("/Candidate/properties");
        assertThat(candidate.at("/chosenInstead/description").asString()).contains("not-chosen");
        assertThat(names(schemas.at("/ChosenTracker/properties"))).containsExactlyInAnyOrder("trackerId", "name");
        assertThat(candidate.at("/everydayTalk/description").asString()).contains("everyday-talk");

        // anywhere: a bound on a value belongs to a number, and a number's format to its type (a generator picks the
        // client's type by both: TrackerWindow's seconds were "integer" of format "double")
        schemas.properties().forEach(schema -> schema.getValue().path("properties").properties().forEach(property -> {
            String member = schema.getKey() + "." + property.getKey();
            if (property.getValue().has("minimum") || property.getValue().has("maximum")) {
                assertThat(typeOf(property.getValue())).as(member).isIn("integer", "number");
            }
            String format = property.getValue().path("format").asString("");
            String types = property.getValue().path("type").toString(); // "integer", or ["number","null"]
            if (types.contains("\"integer\"")) {
                assertThat(format).as(member).isIn("int32", "int64");
            }
            if (types.contains("\"number\"")) {
                assertThat(format).as(member).isIn("float", "double", "");
            }
        }));
    }

    /**
     * What a client generated from the document may take for granted: openapi-generator makes every member that is not
     * required optional ({@code name?: string} in TypeScript, a nullable getter in Java), so the members every answer
     * has are required. The main answers are listed member by member; OpenApiConformanceIT shows the service keeps
     * to them, and sees each optional member left out somewhere.
     */
    @Test
    void theMembersEveryAnswerHasAreRequired() {
        Map<String, List<String>> always = new LinkedHashMap<>();
        always.put("TrackerResponse", List.of("id", "name", "vocabulary", "categories", "languages", "speaker",
                "exclude", "version", "createdOn", "updatedOn"));
        always.put("TrackerEnvelope", List.of("tracker"));
        always.put("TrackerList", List.of("trackers"));
        always.put("TrackerResult", List.of("id", "name", "matches"));
        always.put("PhraseMatch", List.of("type", "value", "messageRefs", "insightRefs"));
        always.put("MessageRef", List.of("id", "text", "offset", "score", "start", "end"));
        always.put("MatchExplained", List.of("trackers", "explanations"));
        always.put("Candidate", List.of("trackerId", "name", "phrase", "score", "threshold", "fired", "reason"));
        always.put("JobView", List.of("id", "status", "conversationId", "progress"));
        always.put("ProcessTextAccepted", List.of("conversationId", "jobId"));
        always.put("Conversation", List.of("id", "type", "source", "startTime", "messageCount", "createdOn",
                "updatedOn"));
        always.put("ConversationSummary", List.of("id", "source", "startTime", "createdOn", "messageCount",
                "hitCount"));
        always.put("StoredMessage", List.of("id", "text", "sequence", "sourceIndex", "charStart", "charEnd"));
        always.put("Example", List.of("id", "text", "match", "createdOn"));
        always.put("Suggestion", List.of("conversationId", "messageId", "text", "score", "fired"));
        // written with their nulls: required and nullable
        always.put("TrackerQuality", List.of("examples", "positives", "negatives", "precision", "recall", "f1",
                "method", "minimum", "counts", "ranges"));
        always.put("TrackerFigures", List.of("id", "name", "conversations", "hits", "bySpeaker", "series",
                "topPhrases"));
        always.put("TokenResponse", List.of("accessToken", "expiresIn"));
        always.put("AccountResponse", List.of("id", "appId", "name", "createdOn", "counts"));
        always.put("Problem", List.of("type", "title", "status", "detail", "instance", "message"));
        // every error of a problem names its field and the reason (FieldViolation refuses to be built without them)
        always.put("ProblemError", List.of("field", "message"));
        always.forEach((schema, members) -> assertThat(required(schema)).as(schema)
                .containsExactlyInAnyOrderElementsOf(members));

        // every other schema of an answer requires something too, so that a new one cannot be added without thought;
        // a speaker is only what the client sent (every part optional); a revocation answers the empty object
        Set<String> answered = answeredSchemas();
        assertThat(answered).containsAll(always.keySet());
        answered.removeAll(Set.of("Speaker", "TokenRevocationResponse"));
        for (String schema : answered) {
            JsonNode described = doc.at("/components/schemas/" + schema);
            if (described.has("oneOf") || typeOf(described).equals("array")) {
                continue; // a named union or list (MatchResponse, TrackerResults): its parts are checked
            }
            assertThat(required(schema)).as(schema + " requires the members every answer has").isNotEmpty();
            // and every member of an answer is typed, and so are the items of a list: a member documented as {}
            // becomes an untyped object in clients (PhraseMatch.insightRefs was a list of {} until 2026-11-29)
            doc.at("/components/schemas/" + schema + "/properties").properties().forEach(property -> {
                JsonNode member = property.getValue();
                assertThat(typed(member)).as(schema + "." + property.getKey() + " is typed").isTrue();
                if (member.path("type").toString().contains("\"array\"")) { // "array", or ["array","null"]
                    assertThat(typed(member.path("items"))).as(schema + "." + property.getKey() + "[] is typed")
                            .isTrue();
                }
            });
        }
        assertThat(doc.at("/components/schemas/MessageRef/properties/from/$ref").asString())
                .isEqualTo("#/components/schemas/Speaker");
        // a named type that admits only the empty object the service answers, not an untyped object
        JsonNode revoked = doc.at("/paths/~1oauth2~1token:revoke/post/responses/200/content/application~1json/schema");
        assertThat(revoked.path("$ref").asString()).isEqualTo("#/components/schemas/TokenRevocationResponse");
        JsonNode revokedSchema = doc.at("/components/schemas/TokenRevocationResponse");
        assertThat(typeOf(revokedSchema)).isEqualTo("object");
        assertThat(revokedSchema.path("additionalProperties").isBoolean()
                && !revokedSchema.path("additionalProperties").asBoolean()).as(revokedSchema.toString()).isTrue();
        assertThat(revokedSchema.path("properties").size()).isZero();
        // never filled here, but typed as Symbl filled it, so that a client ported from Symbl reads the same list
        assertThat(doc.at("/components/schemas/PhraseMatch/properties/insightRefs/items/$ref").asString())
                .isEqualTo("#/components/schemas/InsightRef");
        assertThat(required("InsightRef")).containsExactlyInAnyOrder("id", "text", "offset", "type");
    }

    /** Whether a schema says what its value is: a type, a reference or alternatives. */
    private static boolean typed(JsonNode schema) {
        return schema.has("type") || schema.has("$ref") || schema.has("oneOf");
    }

    /** The names of the schemas that some answer (any status) refers to, directly or through another schema. */
    private Set<String> answeredSchemas() {
        Set<String> found = new TreeSet<>();
        Deque<JsonNode> todo = new ArrayDeque<>();
        forEachOperation((id, operation) -> operation.path("responses").forEach(response -> todo.add(response)));
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.has("$ref") && node.get("$ref").asString().startsWith("#/components/schemas/")) {
                String name = node.get("$ref").asString().substring("#/components/schemas/".length());
                if (found.add(name)) {
                    todo.add(doc.at("/components/schemas/" + name));
                }
            }
            node.forEach(todo::add);
        }
        return found;
    }

    private List<String> required(String schema) {
        List<String> required = new ArrayList<>();
        doc.at("/components/schemas/" + schema + "/required").forEach(member -> required.add(member.asString()));
        return required;
    }

    /**
     * The teaching audit (2026-11-28): a client generated from the document could leave out an example's {@code match}
     * (refused with a 400) and did not know the bounds or the default of the suggestions' {@code limit}; and the
     * example writes take the tracker's {@code If-Match} and answer 412 like PUT, PATCH and DELETE.
     */
    @Test
    void theTeachingEndpointsSayWhatTheyRequire() {
        JsonNode example = doc.at("/components/schemas/ExampleRequest");
        assertThat(names(example.path("properties"))).containsExactlyInAnyOrder("text", "match");
        List<String> required = new ArrayList<>();
        example.path("required").forEach(name -> required.add(name.asString()));
        assertThat(required).containsExactlyInAnyOrder("text", "match");
        assertThat(example.at("/properties/text/minLength").asInt()).isEqualTo(1);
        assertThat(example.at("/properties/text/maxLength").asInt()).isEqualTo(1000);

        JsonNode limit = null;
        for (JsonNode parameter : operation("get", "/v1/manage/trackers/{id}/suggestions").get("parameters")) {
            if (parameter.get("name").asString().equals("limit")) {
                limit = parameter.get("schema");
            }
        }
        assertThat(limit).isNotNull();
        assertThat(typeOf(limit)).isEqualTo("integer");
        assertThat(limit.get("minimum").asInt()).isEqualTo(1);
        assertThat(limit.get("maximum").asInt()).isEqualTo(100);
        assertThat(limit.get("default").asInt()).isEqualTo(25);

        for (String[] write : new String[][] {{"post", "/v1/manage/trackers/{id}/examples"},
                {"delete", "/v1/manage/trackers/{id}/examples/{exampleId}"}}) {
            JsonNode operation = operation(write[0], write[1]);
            List<String> headers = new ArrayList<>();
            operation.get("parameters").forEach(p -> {
                if ("header".equals(p.get("in").asString())) {
                    headers.add(p.get("name").asString());
                }
            });
            assertThat(headers).as(String.join(" ", write)).containsExactly("If-Match");
            assertThat(names(operation.get("responses"))).as(String.join(" ", write)).contains("400", "404", "412");
        }
        assertThat(operation("post", "/v1/manage/trackers/{id}/examples").at("/responses/201/headers/Location")
                .isObject()).isTrue();
        assertThat(operation("get", "/v1/manage/trackers/{id}/examples/{exampleId}").at(
                "/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/ExampleEnvelope");
    }

    /** {@code type} of an OpenAPI 3.1 schema, written as a string or as a list of one. */
    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.path("type");
        return type.isArray() && type.size() == 1 ? type.get(0).asString() : type.asString();
    }

    /**
     * What openapi-generator makes of the document (docs/api.md, "Generating a client"): each operation's id is the
     * client's method name, so it is unique and readable ({@code getTracker}, not springdoc's {@code get_1}, which
     * became {@code get1}); each tag is an API class, described once; the summary is the method's documentation.
     */
    @Test
    void aGeneratedClientGetsReadableMethodsInDescribedApiClasses() {
        Set<String> described = new TreeSet<>();
        doc.path("tags").forEach(tag -> {
            assertThat(tag.path("description").asString("")).as("tag " + tag.path("name")).isNotBlank();
            described.add(tag.path("name").asString());
        });
        Map<String, String> ids = new LinkedHashMap<>();
        forEachOperation((id, operation) -> {
            String operationId = operation.path("operationId").asString("");
            assertThat(operationId).as(id + " operationId").matches("[a-z][A-Za-z]+");
            assertThat(ids.put(operationId, id)).as(operationId + " is also the id of").isNull();
            assertThat(operation.path("summary").asString("")).as(id + " summary").isNotBlank();
            assertThat(operation.path("tags")).as(id + " tags").hasSize(1);
            assertThat(described).as(id + " tag").contains(operation.at("/tags/0").asString());
        });
        assertThat(ids).containsEntry("getTracker", "GET /v1/manage/trackers/{id}")
                .containsEntry("getTrackerAtOlderPath", "GET /v1/manage/tracker/{id}")
                .containsEntry("createTracker", "POST /v1/manage/tracker")
                .containsEntry("createTrackersBulk", "POST /v1/manage/trackers/bulk")
                .containsEntry("getConversationTrackersDetected",
                        "GET /v1/conversations/{conversationId}/trackers-detected")
                .containsEntry("getWebhookSecret", "GET /v1/webhook-secret");
    }

    /**
     * Bodies are named models: an inline object or union is named after its operation by a generator
     * ({@code Create201Response}), and a union with an inline array alternative did not compile in the Java and
     * TypeScript clients. A union's alternatives are named too, its arrays included ({@code TrackerRequests}).
     */
    @Test
    void aGeneratedClientGetsNamedModelsForEveryBody() {
        forEachOperation((id, operation) -> {
            List<Map.Entry<String, JsonNode>> bodies = new ArrayList<>();
            operation.at("/requestBody/content").properties().forEach(media -> bodies.add(
                    Map.entry(id + " request " + media.getKey(), media.getValue().path("schema"))));
            operation.path("responses").properties().forEach(response -> response.getValue().path("content")
                    .properties().forEach(media -> bodies.add(Map.entry(id + " " + response.getKey() + " "
                            + media.getKey(), media.getValue().path("schema")))));
            for (Map.Entry<String, JsonNode> body : bodies) {
                JsonNode schema = body.getValue();
                JsonNode named = typeOf(schema).equals("array") ? schema.path("items") : schema;
                if (!typeOf(schema).equals("string")) { // a WebVTT or SRT transcript
                    assertThat(named.has("$ref")).as(body.getKey() + " is a named model: " + schema).isTrue();
                }
            }
        });
        JsonNode schemas = doc.at("/components/schemas");
        schemas.properties().forEach(schema -> {
            List<JsonNode> unions = new ArrayList<>();
            unions.add(schema.getValue());
            schema.getValue().path("properties").forEach(unions::add);
            for (JsonNode union : unions) {
                union.path("oneOf").forEach(alternative -> assertThat(alternative.has("$ref")
                                || typeOf(alternative).equals("null")) // a nullable member (nullableReferences)
                        .as(schema.getKey() + " alternative " + alternative).isTrue());
            }
        });
        assertThat(schemas.at("/OneOrMoreTrackers/oneOf/1/$ref").asString())
                .isEqualTo("#/components/schemas/TrackerRequests");
        assertThat(schemas.at("/TrackerRequests/items/$ref").asString())
                .isEqualTo("#/components/schemas/TrackerRequest");
        assertThat(operation("post", "/v1/manage/trackers").at("/responses/201/content/application~1json/schema/$ref")
                .asString()).isEqualTo("#/components/schemas/CreatedTrackers");
    }

    /**
     * Requests as a generated client builds them. Required members are asked for (and tell one tracker from an array of
     * them in TypeScript); an optional list whose emptiness means something is nullable, because the Java generator
     * otherwise starts it as an empty list and sends it: {@code "trackers": []} applied no tracker at all (left out:
     * all of them), and {@code {"id": …, "vocabulary": [], "exclude": []}} was refused. The service reads null as
     * left out.
     */
    @Test
    void aGeneratedClientSendsWhatTheServiceExpects() {
        JsonNode schemas = doc.at("/components/schemas");
        assertThat(schemas.at("/TrackerRequest/required")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("name", "vocabulary");
        assertThat(schemas.at("/TrackerRequest/properties/speaker/enum")).extracting(JsonNode::asString)
                .containsExactly("any", "agent", "customer");
        assertThat(schemas.at("/TokenRequest/required")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("appId", "appSecret");
        for (String schema : List.of("ProcessTextRequest", "MatchRequest")) {
            assertThat(schemas.at("/" + schema + "/required")).extracting(JsonNode::asString).as(schema)
                    .containsExactly("messages");
        }
        assertThat(schemas.at("/IncomingMessage/required")).extracting(JsonNode::asString).containsExactly("payload");
        assertThat(schemas.at("/MessagePayload/required")).extracting(JsonNode::asString).containsExactly("content");
        for (String member : List.of("ProcessTextRequest/properties/trackers", "MatchRequest/properties/trackers",
                "TrackerReference/properties/vocabulary", "TrackerReference/properties/exclude")) {
            assertThat(schemas.at("/" + member + "/type")).extracting(JsonNode::asString).as(member)
                    .containsExactlyInAnyOrder("array", "null");
        }
    }

    /** A new endpoint cannot go undocumented: the document lists exactly what the application maps. */
    @Test
    void documentsEveryEndpointTheApplicationMaps() {
        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (!method.getBeanType().getPackageName().startsWith("io.opentrackers")) {
                return; // springdoc's own /v3/api-docs and Swagger UI resources
            }
            for (String path : info.getPatternValues()) {
                if (path.equals("/error")) {
                    continue; // where the servlet container forwards failures; no client calls it
                }
                // a variable's pattern ({id:(?!bulk$).+}) is the server's business; the document names the variable
                String documentedPath = path.replaceAll("\\{([A-Za-z]+):[^}]*}", "{$1}");
                info.getMethodsCondition().getMethods().forEach(verb -> mapped.add(verb.name() + " " + documentedPath));
            }
        });
        Set<String> documented = new TreeSet<>();
        forEachOperation((id, operation) -> documented.add(id));
        assertThat(mapped).hasSizeGreaterThan(20);
        assertThat(documented).isEqualTo(mapped);
    }

    /** The Streaming API is a WebSocket protocol: docs/asyncapi.yaml describes it, and must stay a valid document. */
    @Test
    void theAsyncApiDocumentDescribesTheStreamingProtocol() throws IOException {
        Map<String, Object> asyncApi = new Yaml().load(Files.readString(Path.of("docs/asyncapi.yaml")));
        assertThat(asyncApi.get("asyncapi")).isEqualTo("3.0.0");
        assertThat(asyncApi).containsKeys("info", "servers", "channels", "operations", "components");
        List<String> addresses = new ArrayList<>();
        ((Map<?, ?>) asyncApi.get("channels")).values().forEach(channel -> addresses.add((String) ((Map<?, ?>) channel).get("address")));
        assertThat(addresses).containsExactlyInAnyOrder("/v1/streaming/{connectionId}",
                "/v1/realtime/insights/{connectionId}");

        Set<Object> frameTypes = new TreeSet<>();
        List<String> refs = new ArrayList<>();
        walk(asyncApi, frameTypes, refs);
        assertThat(frameTypes).contains("start_request", "message_request", "stop_request", "message",
                "message_response", "tracker_response", "started_listening", "conversation_created", "recognition_started",
                "conversation_completed", "error");
        // every local reference resolves, so that a renamed message or schema cannot leave a dangling pointer
        for (String ref : refs) {
            Object target = asyncApi;
            for (String part : ref.substring(2).split("/")) {
                assertThat(target).as(ref).isInstanceOf(Map.class);
                target = ((Map<?, ?>) target).get(part.replace("~1", "/").replace("~0", "~"));
            }
            assertThat(target).as(ref).isNotNull();
        }
        assertThat(refs).hasSizeGreaterThan(10);
    }

    /** Collects the {@code const} values of the schemas (the frame types) and every local {@code $ref}. */
    private static void walk(Object node, Set<Object> consts, List<String> refs) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("const".equals(key)) {
                    consts.add(value);
                } else if ("$ref".equals(key) && value instanceof String ref && ref.startsWith("#/")) {
                    refs.add(ref);
                }
                walk(value, consts, refs);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, consts, refs));
        }
    }

    private JsonNode operation(String method, String path) {
        JsonNode operation = doc.path("paths").path(path).path(method);
        assertThat(operation.isObject()).as(method + " " + path + " is documented").isTrue();
        return operation;
    }

    /** Calls back with "METHOD /path" and the operation, for every operation of the document. */
    private void forEachOperation(BiConsumer<String, JsonNode> action) {
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (HTTP_METHODS.contains(operation.getKey())) {
                    action.accept(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue());
                }
            }
        }
    }

    private static boolean hasExample(JsonNode media) {
        return media.has("example") || media.path("examples").size() > 0;
    }

    private static List<String> requirementNames(JsonNode security) {
        List<String> names = new ArrayList<>();
        security.forEach(requirement -> names.addAll(names(requirement)));
        return names;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(entry -> names.add(entry.getKey()));
        return names;
    }
}
