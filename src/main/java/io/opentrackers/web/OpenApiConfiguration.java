package io.opentrackers.web;

import io.opentrackers.common.FieldViolation;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.ParameterCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * The OpenAPI document at {@code /v3/api-docs} (and Swagger UI): title, build version, the three ways to
 * authenticate, and the problem responses every endpoint can give. Controllers document what is specific to
 * them (success bodies, examples, 404/409/429); the rules that hold for every endpoint live here once, so a new
 * endpoint gets them without repeating them.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** Security scheme names of the document; AdminAccountController names "operatorKey" in its annotation. */
    static final String BEARER = "bearer";
    static final String API_KEY = "apiKey";
    static final String OPERATOR_KEY = "operatorKey";

    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String PROBLEM_TYPES = "https://opentrackers.io/problems/";

    @Bean
    OpenAPI openTrackersOpenApi(ObjectProvider<BuildProperties> build) {
        return new OpenAPI()
                .info(new Info()
                        .title("OpenTrackers API")
                        .version(version(build.getIfAvailable()))
                        .description(DESCRIPTION))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                                .description("An access token from POST /oauth2/token:generate: "
                                        + "`Authorization: Bearer <accessToken>`. It expires after `expiresIn` seconds."))
                        .addSecuritySchemes(API_KEY, new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("x-api-key")
                                .description("The same access token in the legacy `x-api-key` header (Symbl-era clients)."))
                        .addSecuritySchemes(OPERATOR_KEY, new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-Operator-Key")
                                .description("The operator key configured as `trackers.admin.operator-key`; "
                                        + "only the admin API takes it.")))
                // Alternatives: either header authenticates. Operations that need neither say so themselves.
                .security(List.of(new SecurityRequirement().addList(BEARER), new SecurityRequirement().addList(API_KEY)));
    }

    /**
     * The version of the built artifact ({@code spring-boot-maven-plugin}'s build-info). A class run straight
     * from an IDE without a Maven build has no build-info; it says so instead of showing a made-up number.
     */
    private static String version(BuildProperties build) {
        return build != null && build.getVersion() != null ? build.getVersion() : "unknown (no build-info)";
    }

    /**
     * Leaves out arguments that the application fills itself through its own argument resolvers (the caller's
     * account, taken from the verified token): they are not part of the HTTP request, yet springdoc would list
     * them as required query parameters. Asking the resolvers, rather than naming their types, keeps this
     * package free of the features that register them.
     */
    @Bean
    ParameterCustomizer hideResolvedArguments(ObjectProvider<RequestMappingHandlerAdapter> adapter) {
        return (parameter, methodParameter) -> {
            List<HandlerMethodArgumentResolver> own = adapter.getObject().getCustomArgumentResolvers();
            boolean resolvedByApplication = own != null && own.stream()
                    .anyMatch(resolver -> resolver.supportsParameter(methodParameter));
            return resolvedByApplication ? null : parameter;
        };
    }

    /**
     * The problem responses that follow from how the service works rather than from one endpoint: 400 for any
     * request (bad JSON, bad parameters, broken rules), 401 where a token is required, 404 where a path names an
     * id (unknown and foreign ids answer alike), 413 where there is a body (trackers.web.max-request-body), 503 for
     * all (the database out of reach). Every 4xx and the 503, also those a controller declares, get the problem
     * schema and an example of its status.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            Components components = openApi.getComponents();
            ModelConverters.getInstance(true).readAll(ProblemDocument.class).forEach(components::addSchemas);
            boolean securedByDefault = openApi.getSecurity() != null && !openApi.getSecurity().isEmpty();
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                ApiResponses responses = operation.getResponses();
                addIfAbsent(responses, "400", "The request is malformed or breaks a rule; `errors[]` names each "
                        + "offending field. A query parameter or body member spelled like one the endpoint takes but "
                        + "for case, separators, a plural or two neighbouring letters swapped (`webhookURL`, `paht`) "
                        + "is refused with the name meant, every one of the request in one answer; other unknown "
                        + "ones are ignored");
                boolean secured = operation.getSecurity() == null ? securedByDefault
                        : operation.getSecurity().stream().anyMatch(requirement -> requirement.containsKey(BEARER));
                if (secured) {
                    addIfAbsent(responses, "401", "Missing, invalid or expired access token");
                }
                if (path.contains("{")) {
                    addIfAbsent(responses, "404", "No such id in the caller's account (another account's id "
                            + "answers the same)");
                }
                if (operation.getRequestBody() != null) {
                    addIfAbsent(responses, "413", "The request body is larger than trackers.web.max-request-body "
                            + "(1 MB by default)");
                    addIfAbsent(responses, "415", "The body has no `Content-Type`, or one this endpoint does not "
                            + "read; `errors[]` names `Content-Type` with the types it reads");
                }
                // every operation answers JSON only, and says so before reading anything
                addIfAbsent(responses, "406", "The `Accept` header admits no JSON; `errors[]` names `Accept` with the "
                        + "types this path answers (no body when JSON was refused outright)");
                // every operation reads the database (the token's account, if nothing else)
                addIfAbsent(responses, "503", "The service cannot reach its database at the moment; retry after "
                        + "`Retry-After` seconds");
                responses.forEach((status, response) -> {
                    if (status.startsWith("4") || status.equals("503")) {
                        asProblem(Integer.parseInt(status), path, response);
                    }
                });
                // Order by status, so that the success response comes first in Swagger UI.
                ApiResponses sorted = new ApiResponses();
                new TreeMap<>(responses).forEach(sorted::addApiResponse);
                operation.setResponses(sorted);
            }));
        };
    }

    /**
     * A member that may be {@code null} and whose value is a named schema ({@code @Schema(nullable = true)} on a
     * record component of a record type) as OpenAPI 3.1 says it: one of that schema and {@code null}. swagger-core
     * writes {@code {"type": "null", "$ref": …}} instead, which admits neither (both apply in JSON Schema 2020-12), so a
     * generated client refused the answer either way; openapi-generator reads the {@code oneOf} as a nullable member.
     */
    @Bean
    OpenApiCustomizer nullableReferences() {
        return openApi -> openApi.getComponents().getSchemas().values().forEach(schema -> {
            Map<String, io.swagger.v3.oas.models.media.Schema> properties = schema.getProperties();
            if (properties == null) {
                return;
            }
            properties.replaceAll((name, property) -> {
                boolean nullable = Boolean.TRUE.equals(property.getNullable())
                        || property.getTypes() != null && property.getTypes().contains("null");
                if (property.get$ref() == null || !nullable) {
                    return property;
                }
                io.swagger.v3.oas.models.media.Schema<Object> either = new io.swagger.v3.oas.models.media.Schema<>();
                either.setOneOf(List.of(new io.swagger.v3.oas.models.media.Schema<>().$ref(property.get$ref()),
                        new io.swagger.v3.oas.models.media.Schema<>().types(Set.of("null"))));
                either.setDescription(property.getDescription());
                return either;
            });
        });
    }

    /**
     * Paths that a handler serves beside its main path (Symbl's older path families), with the word their operations'
     * ids end in. springdoc gives the second path of a handler its id with {@code _1} appended, which a generated
     * client turns into {@code getTracker1} beside {@code getTracker}; here each gets a name that says which it is.
     */
    private static final Map<String, String> ALIAS_PATHS = Map.of(
            "/v1/manage/tracker/{id}", "AtOlderPath",
            "/v1/conversations/{conversationId}/trackers-detected", "Detected");

    private static final Pattern NUMBERED = Pattern.compile("_\\d+$");

    /**
     * Operation ids as a generated client names its methods: the id a controller gave ({@code getTracker}), without
     * the {@code _1} springdoc appends where one handler serves two paths, and with {@link #ALIAS_PATHS}' word at the
     * second path ({@code getTrackerAtOlderPath}).
     */
    @Bean
    OpenApiCustomizer readableOperationIds() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            if (operation.getOperationId() == null) {
                return;
            }
            String id = NUMBERED.matcher(operation.getOperationId()).replaceFirst("");
            operation.setOperationId(id + ALIAS_PATHS.getOrDefault(path, ""));
        }));
    }

    /**
     * A request or response body that is one of several shapes ({@code POST /v1/manage/trackers} takes one tracker or
     * an array of them) is a named model, not an inline schema: a generator would name it after the operation
     * ({@code Create201Response}) or, in the Java and TypeScript generators, fail to compile it when one alternative is
     * an array. Controllers give such a schema a {@code title}; it becomes {@code components/schemas/<title>}, and
     * each array alternative {@code components/schemas/<item>s} ({@code TrackerRequests}).
     */
    @Bean
    OpenApiCustomizer namedUnions() {
        return openApi -> openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            List<Content> bodies = new ArrayList<>();
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                bodies.add(operation.getRequestBody().getContent());
            }
            operation.getResponses().values().stream().map(ApiResponse::getContent)
                    .filter(Objects::nonNull).forEach(bodies::add);
            bodies.forEach(content -> content.values().forEach(media -> {
                io.swagger.v3.oas.models.media.Schema<?> schema = media.getSchema();
                if (schema != null && schema.getOneOf() != null && schema.getTitle() != null) {
                    media.setSchema(named(openApi.getComponents(), schema.getTitle(), schema));
                    schema.getOneOf().replaceAll(alternative -> namedArray(openApi.getComponents(), alternative));
                }
            }));
        }));
    }

    private static io.swagger.v3.oas.models.media.Schema namedArray(Components components,
            io.swagger.v3.oas.models.media.Schema alternative) {
        boolean array = alternative.getTypes() != null && alternative.getTypes().contains("array")
                || "array".equals(alternative.getType());
        String items = alternative.getItems() == null ? null : alternative.getItems().get$ref();
        if (!array || items == null) {
            return alternative;
        }
        return named(components, items.substring(items.lastIndexOf('/') + 1) + "s", alternative);
    }

    private static io.swagger.v3.oas.models.media.Schema<?> named(Components components, String name,
            io.swagger.v3.oas.models.media.Schema<?> schema) {
        components.addSchemas(name, schema);
        return new io.swagger.v3.oas.models.media.Schema<>().$ref("#/components/schemas/" + name);
    }

    private static void addIfAbsent(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description));
        }
    }

    /**
     * Makes a 4xx response an {@code application/problem+json} document. An example a controller gave for this
     * status is kept; otherwise the status's typical problem is shown. Other media types are dropped: springdoc
     * would otherwise fill a declared error with the endpoint's success schema.
     */
    private static void asProblem(int status, String path, ApiResponse response) {
        MediaType declared = response.getContent() == null ? null : response.getContent().get(PROBLEM_JSON);
        MediaType problem = declared != null ? declared : new MediaType();
        problem.setSchema(new io.swagger.v3.oas.models.media.Schema<>().$ref("#/components/schemas/Problem"));
        if ((problem.getExamples() == null || problem.getExamples().isEmpty()) && problem.getExample() == null) {
            problem.addExamples(Problems.kindFor(HttpStatusCode.valueOf(status)),
                    new Example().value(typicalProblem(status, path)));
        }
        response.setContent(new Content().addMediaType(PROBLEM_JSON, problem));
        if (status == 429) {
            response.addHeaderObject("Retry-After", new Header()
                    .description("Seconds to wait before submitting again").schema(new IntegerSchema()));
        }
        if (status == 503) {
            response.addHeaderObject("Retry-After", new Header()
                    .description("Seconds to wait before retrying (5)").schema(new IntegerSchema()));
        }
    }

    /**
     * A problem as the service writes it for this status: built by {@link Problems}, so type, title and
     * {@code message} follow the real ones; the details are the wording of the code that raises them.
     */
    private static Map<String, Object> typicalProblem(int status, String path) {
        HttpStatus http = HttpStatus.valueOf(status);
        String instance = path.replace("{jobId}", JOB_ID).replace("{conversationId}", CONVERSATION_ID)
                .replaceAll("\\{[^}]+}", TRACKER_ID);
        var problem = switch (status) {
            case 400 -> Problems.invalid("name: must be a string, was a number",
                    List.of(FieldViolation.of("name", "must be a string, was a number")));
            case 401 -> Problems.of(http, "unauthorized", "A valid access token is required (Authorization: "
                    + "Bearer <token> or x-api-key; access_token on WebSocket upgrades); get one at POST "
                    + "/oauth2/token:generate");
            case 403 -> Problems.of(http, "forbidden", "A valid X-Operator-Key header is required");
            case 404 -> Problems.of(http, "not-found", notFound(path));
            case 409 -> Problems.of(http, "conflict", "The request conflicts with what the account already holds");
            case 413 -> Problems.tooLarge(RequestSizeLimitFilter.tooLarge(1024 * 1024));
            case 429 -> Problems.of(http, "too-many-requests", "This account already has 5 scheduled or running "
                    + "jobs (limit 5); retry when one has finished, in about 42 s");
            case 503 -> DatabaseUnavailableFilter.unavailable();
            default -> Problems.of(http, Problems.kindFor(http), FrameworkErrors.describe(status));
        };
        problem.setInstance(URI.create(instance));
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", problem.getType().toString());
        example.put("title", problem.getTitle());
        example.put("status", problem.getStatus());
        example.put("detail", problem.getDetail());
        example.put("instance", problem.getInstance().toString());
        if (problem.getProperties() != null) {
            example.putAll(problem.getProperties());
        }
        return example;
    }

    // The ids of the controllers' examples, so that a 404 example names an id the other examples use.
    private static final String TRACKER_ID = "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e";
    private static final String CONVERSATION_ID = "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13";
    private static final String JOB_ID = "d4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02";

    /** The wording of the services' NotFoundExceptions for the id the path names. */
    private static String notFound(String path) {
        if (path.contains("{jobId}")) {
            return "Job '" + JOB_ID + "' not found (a job is deleted with its conversation)";
        }
        if (path.contains("{conversationId}")) {
            return "Conversation '" + CONVERSATION_ID + "' not found";
        }
        return "No tracker with id '" + TRACKER_ID + "'";
    }

    /** The shape of every error response, for the document only; {@link Problems} builds the real ones. */
    @Schema(name = "Problem", description = "An RFC 9457 problem document; `message` repeats `detail` for clients "
            + "written for Symbl, which read `message`.")
    record ProblemDocument(
            @Schema(description = "Stable URI of the kind of problem", example = PROBLEM_TYPES + "invalid-request",
                    requiredMode = Schema.RequiredMode.REQUIRED) URI type,
            @Schema(description = "The HTTP reason phrase", example = "Bad Request",
                    requiredMode = Schema.RequiredMode.REQUIRED) String title,
            @Schema(description = "The HTTP status", example = "400",
                    requiredMode = Schema.RequiredMode.REQUIRED) int status,
            @Schema(description = "What went wrong, naming the field and value where there is one",
                    requiredMode = Schema.RequiredMode.REQUIRED) String detail,
            // a reference relative to the service (RFC 9457 section 3.1.5), not an absolute URI; every problem has one,
            // the request path or a urn:uuid where Tomcat could not read the path (ProblemResponsesIT)
            @Schema(description = "The request path", example = "/v1/manage/trackers", type = "string",
                    format = "uri-reference", requiredMode = Schema.RequiredMode.REQUIRED) URI instance,
            @Schema(description = "The same text as `detail`", requiredMode = Schema.RequiredMode.REQUIRED) String message,
            @Schema(description = "Each offending field, for rule violations and conflicts")
            List<Problems.ProblemError> errors,
            @Schema(description = "With `precondition-failed` (412) only: the tracker's current version", example = "3")
            Long version,
            @Schema(description = "With `precondition-failed` (412) only: the tracker's current entity tag, the "
                    + "`If-Match` that a retry based on a fresh read sends",
                    example = "\"" + TRACKER_ID + ".v3\"") String etag) {
    }

    /** Markdown for Swagger UI. The guides are named by their path in the repository: the service serves no docs/. */
    private static final String DESCRIPTION = """
            Tracks what is said in conversations: a **tracker** is a named list of example phrases, and the service \
            reports every message whose meaning matches one. It speaks the wire API of Symbl.ai's Trackers, so \
            clients written for it keep working.

            **Authentication.** Exchange `appId` and `appSecret` for an access token at `POST /oauth2/token:generate` \
            (no token needed), then send it as `Authorization: Bearer <token>` (Authorize → *bearer*) or in the legacy \
            `x-api-key` header. The admin API takes `X-Operator-Key` instead. `/actuator/health` needs no token.

            **Errors** are RFC 9457 `application/problem+json` documents with `type`, `title`, `status`, `detail`, \
            `instance`, `message` (= `detail`) and, for rule violations, `errors[]` naming each field.

            **Streaming API** (WebSocket `/v1/streaming/{connectionId}`, legacy `/v1/realtime/insights/{connectionId}`): \
            not an HTTP operation, so it is described by the AsyncAPI 3.0 document `docs/asyncapi.yaml` in the \
            repository, with the guide `docs/streaming.md`.

            Guides in the repository: `docs/management-api.md` (trackers), `docs/jobs.md` (Async and Conversation \
            API), `docs/matching.md` (`POST /v1/match` and how matching decides), `docs/security.md`.
            """;
}
