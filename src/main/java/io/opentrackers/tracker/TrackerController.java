package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.Misspellings;
import io.opentrackers.matching.LabelledExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Management API under both path generations of the Symbl docs ({@code /tracker/...} and
 * {@code /trackers/...}), acting on the same store. Bodies are read as JSON trees: {@code POST /trackers}
 * must tell one tracker from an array of them, and {@link TrackerJson} names fields of the wrong type.
 * <p>
 * Every answer is JSON, declared here so that a request whose {@code Accept} excludes it is refused (406) before the
 * handler runs: negotiated after it, the refusal came once the tracker was already created, changed or deleted.
 */
@RestController
@RequestMapping(path = "/v1/manage", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Trackers", description = "Management API: trackers are named lists of example phrases")
class TrackerController {

    /** RFC 6902's media type, which PATCH reads beside plain JSON. */
    static final String JSON_PATCH = "application/json-patch+json";

    /** The member of an object body that holds a bulk request's trackers. */
    private static final String BULK_MEMBER = "trackers";
    /**
     * One tracker on the newer paths: any id but {@code bulk}, so that {@code GET /v1/manage/trackers/bulk} is a 405
     * naming POST, the method that path takes, rather than "No tracker with id 'bulk'".
     */
    private static final String ONE_TRACKER = "/trackers/{id:(?!bulk$).+}";

    private final TrackerService service;
    private final JsonMapper jsonMapper;
    private final TrackerExampleSource exampleSource;
    private final TrackerCalibrations calibrations;

    TrackerController(TrackerService service, JsonMapper jsonMapper, TrackerExampleSource exampleSource,
            TrackerCalibrations calibrations) {
        this.exampleSource = exampleSource;
        this.calibrations = calibrations;
        this.service = service;
        this.jsonMapper = jsonMapper;
    }

    @PostMapping("/tracker")
    @Operation(operationId = "createTracker", summary = "Create one tracker")
    @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true, headers = {
            @Header(name = HttpHeaders.ETAG, description = ETAG_DOC, schema = @Schema(type = "string", example = TAG)),
            @Header(name = HttpHeaders.LOCATION, description = LOCATION_DOC,
                    schema = @Schema(type = "string", example = LOCATION))},
            content = @Content(examples = @ExampleObject(name = "created", value = ONE)))
    @ApiResponse(responseCode = "400", description = "A rule is broken; `errors[]` names each field",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "invalid-request", value = INVALID_PHRASE)))
    @ApiResponse(responseCode = "409", description = "The name is taken (`tracker-name-taken`) or the account "
            + "holds its maximum of trackers (`tracker-limit-reached`)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, examples = {
                    @ExampleObject(name = "tracker-name-taken", value = NAME_TAKEN),
                    @ExampleObject(name = "tracker-limit-reached", value = LIMIT_REACHED)}))
    ResponseEntity<TrackerResponse.One> createOne(AccountId account,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = TrackerRequest.class),
                            examples = @ExampleObject(name = "tracker", value = CREATE)))
            @RequestBody JsonNode body) {
        Tracker created = service.create(account, TrackerJson.read(body));
        // a path reference (RFC 9110 section 10.2.2): right whatever host or proxy the client reached the service by
        return ResponseEntity.created(URI.create("/v1/manage/trackers/" + created.id()))
                .header(HttpHeaders.ETAG, TrackerPrecondition.etagOf(created))
                .body(new TrackerResponse.One(TrackerResponse.of(created)));
    }

    @PostMapping("/trackers")
    @Operation(operationId = "createTrackers",
            summary = "Create one tracker (object body) or several, all or nothing (array body)")
    @ApiResponse(responseCode = "201", description = "Created: `{\"tracker\"}` for an object body (with its `ETag`), "
            + "`{\"trackers\"}` for an array body", headers = {@Header(name = HttpHeaders.ETAG,
            description = "For an object body: " + ETAG_DOC, schema = @Schema(type = "string", example = TAG)),
            @Header(name = HttpHeaders.LOCATION, description = "For an object body: " + LOCATION_DOC,
                    schema = @Schema(type = "string", example = LOCATION))},
            content = @Content(schema = @Schema(title = "CreatedTrackers", oneOf = {TrackerResponse.One.class,
                    TrackerResponse.Many.class}),
                    examples = {@ExampleObject(name = "one", value = ONE), @ExampleObject(name = "bulk", value = MANY)}))
    @ApiResponse(responseCode = "400", description = "A rule is broken; for an array, nothing is stored and "
            + "`errors[]` lists every bad item by index, names taken or repeated included; an object with tracker "
            + "fields and a `trackers` array is refused naming `trackers`",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, examples = {
                    @ExampleObject(name = "invalid-request", value = INVALID_PHRASE),
                    @ExampleObject(name = "invalid-items", value = INVALID_ITEMS_ON_TRACKERS)}))
    @ApiResponse(responseCode = "409", description = "Names are the only problem: taken or repeated "
            + "(`tracker-name-taken`), or the account would hold more than its maximum of trackers "
            + "(`tracker-limit-reached`)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, examples = {
                    @ExampleObject(name = "tracker-name-taken", value = NAME_TAKEN),
                    @ExampleObject(name = "tracker-limit-reached", value = LIMIT_REACHED)}))
    ResponseEntity<?> create(AccountId account,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(title = "OneOrMoreTrackers",
                            oneOf = {TrackerRequest.class, TrackerRequest[].class}),
                            examples = {@ExampleObject(name = "one", value = CREATE),
                                    @ExampleObject(name = "bulk", value = BULK)}))
            @RequestBody JsonNode body) {
        // an object with a trackers member is the bulk body {"trackers":[...]}, as on /trackers/bulk
        if (body.isArray() || body.isObject() && body.has(BULK_MEMBER)) {
            return createMany(account, body);
        }
        if (body.isObject() && body.has(TrackerJson.ONE_MEMBER)) {
            return createOne(account, body); // {"tracker": {...}}, as a read answers it
        }
        // {"Trackers": [...]} was read as one tracker, refused for its missing name rather than for the typo
        List<FieldViolation> typos = new ArrayList<>();
        Misspellings.of(BULK_MEMBER).check(body, "", typos);
        if (!typos.isEmpty()) {
            throw new InvalidInputException(typos);
        }
        return createOne(account, body);
    }

    @PostMapping("/trackers/bulk")
    @Operation(operationId = "createTrackersBulk",
            summary = "Create several trackers, all or nothing; errors are listed per item index")
    @ApiResponse(responseCode = "201", description = "Created, in request order", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "created", value = MANY)))
    @ApiResponse(responseCode = "400", description = "Nothing is stored; `errors[]` lists every bad item by index, "
            + "names taken or repeated in the request included",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "invalid-items", value = INVALID_ITEMS)))
    @ApiResponse(responseCode = "409", description = "Nothing is stored: every item is valid, but names are taken "
            + "or repeated (`tracker-name-taken`, per index), or the trackers would not fit (`tracker-limit-reached`)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, examples = {
                    @ExampleObject(name = "tracker-name-taken", value = NAMES_TAKEN),
                    @ExampleObject(name = "tracker-limit-reached", value = LIMIT_REACHED)}))
    ResponseEntity<TrackerResponse.Many> createMany(AccountId account,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "A JSON array of trackers, or "
                    + "`{\"trackers\":[…]}`",
                    content = @Content(array = @ArraySchema(schema = @Schema(implementation = TrackerRequest.class)),
                            examples = @ExampleObject(name = "bulk", value = BULK)))
            @RequestBody JsonNode body) {
        // {"trackers":[...]} mirrors the response shape, so it is accepted as well as a bare array.
        JsonNode items = body.isObject() && body.has(BULK_MEMBER) ? body.get(BULK_MEMBER) : body;
        if (items != body) {
            List<String> trackerFields = TrackerJson.trackerFields(body);
            if (!trackerFields.isEmpty()) {
                // one tracker or several: which the client meant cannot be known, so neither is created
                throw new InvalidInputException(BULK_MEMBER, "cannot be sent with the tracker fields "
                        + String.join(", ", trackerFields) + "; send one tracker as an object, or several as an array "
                        + "or as {\"trackers\": [...]}");
            }
        }
        if (!items.isArray()) {
            throw new InvalidInputException(items == body ? "body" : BULK_MEMBER,
                    "must be a JSON array of trackers, was " + TrackerJson.kind(items));
        }
        service.checkBulkSize(account, items.size());
        List<FieldViolation> unreadable = new ArrayList<>();
        List<TrackerRequest> requests = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            List<FieldViolation> itemViolations = new ArrayList<>();
            requests.add(TrackerJson.read(items.get(i), "", itemViolations));
            for (FieldViolation violation : itemViolations) {
                unreadable.add(violation.atIndex(i));
            }
        }
        List<Tracker> created = service.createAll(account, requests, unreadable);
        return ResponseEntity.status(HttpStatus.CREATED).body(many(created));
    }

    @GetMapping("/trackers")
    @Operation(operationId = "listTrackers",
            summary = "List the account's trackers, or those whose name is exactly ?name= (case-sensitive)")
    @ApiResponse(responseCode = "200", description = "In creation order; `{\"trackers\":[]}` when none matches",
            useReturnTypeSchema = true, headers = @Header(name = HttpHeaders.ETAG, description = "With `?name=` "
                    + "when a tracker has it: " + ETAG_DOC, schema = @Schema(type = "string", example = TAG)), content = @Content(examples = @ExampleObject(name = "trackers", value = LIST)))
    @ApiResponse(responseCode = "400", description = "`include` is not `examples`, or `name` is given more than "
            + "once",
            content = @Content(mediaType = "application/problem+json"))
    TrackerResponse.Many list(AccountId account, HttpServletResponse response,
            @Parameter(description = "Only the tracker with exactly this name (case-sensitive); one name per request",
                    example = "Pricing")
            @RequestParam(required = false) String name,
            @Parameter(description = "`examples`: each tracker also lists its labelled examples (`{text, match}`), "
                    + "e.g. to export trackers with what they were taught", example = "examples")
            @RequestParam(required = false) String include,
            @Parameter(description = "Only the trackers with this category, compared as categories are (ignoring "
                    + "case, spacing and how accents are encoded); one category per request", example = "sales")
            @RequestParam(required = false) String category, HttpServletRequest request) {
        refusePaging(request.getParameterMap());
        boolean withExamples = includesExamples(include);
        List<Tracker> trackers = name == null ? service.list(account) : service.findByName(account, name);
        if (category != null) {
            String wanted = TrackerRules.labelKey(category);
            trackers = trackers.stream().filter(t -> t.content().categories().stream()
                    .anyMatch(label -> TrackerRules.labelKey(label).equals(wanted))).toList();
        }
        if (name != null && trackers.size() == 1) {
            // names are unique: the one tracker found, whose ETag a client finding it by name needs for If-Match
            response.setHeader(HttpHeaders.ETAG, TrackerPrecondition.etagOf(trackers.get(0)));
        }
        if (trackers.isEmpty()) {
            return many(trackers);
        }
        List<String> ids = trackers.stream().map(Tracker::id).toList();
        Map<String, List<LabelledExample>> found = withExamples ? exampleSource.examplesOf(ids) : Map.of();
        // one grouped count for the whole list: a client showing each tracker's examples needs no call per tracker
        Map<String, TrackerExampleSource.Counts> counted = exampleSource.countsOf(account, ids);
        Map<String, TrackerCalibrations.Calibration> calibrated = calibrations.calibrationsOf(account, ids);
        return new TrackerResponse.Many(trackers.stream()
                .map(t -> TrackerResponse.read(t, withExamples ? found.getOrDefault(t.id(), List.of()) : null,
                        counted.get(t.id()), calibrated.get(t.id())))
                .toList());
    }

    /** Names a client pages a list with; this one has none to page. */
    private static final List<String> PAGING = List.of("limit", "offset", "page", "size", "pageSize", "per_page",
            "after", "cursor");

    /**
     * {@code ?limit=2} was ignored like any parameter the list does not take, and a client paging through it got every
     * tracker at once, or waited for a short page that never came.
     */
    private static void refusePaging(Map<String, String[]> query) {
        for (String parameter : PAGING) {
            if (query.containsKey(parameter)) {
                throw new InvalidInputException(parameter, "the tracker list is not paged: it answers every tracker "
                        + "of the account at once (at most the account's maximum, 500 by default); leave it out");
            }
        }
    }

    /** Whether a read asks for the trackers' examples ({@code ?include=examples}, the only thing it can include). */
    private static boolean includesExamples(String include) {
        if (include != null && !include.equals("examples")) {
            throw new InvalidInputException("include", "must be 'examples' (the only thing a tracker read can "
                    + "include), was '" + include + "'");
        }
        return include != null;
    }

    @GetMapping({"/tracker/{id}", ONE_TRACKER})
    @Operation(operationId = "getTracker", summary = "Get one tracker")
    @ApiResponse(responseCode = "200", description = "The tracker, with its calibrated threshold once computed",
            useReturnTypeSchema = true, headers = @Header(name = HttpHeaders.ETAG, description = ETAG_DOC,
                    schema = @Schema(type = "string", example = TAG)),
            content = @Content(examples = @ExampleObject(name = "tracker", value = READ)))
    @ApiResponse(responseCode = "400", description = "`include` is not `examples`",
            content = @Content(mediaType = "application/problem+json"))
    TrackerResponse.One get(AccountId account, HttpServletResponse response,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id,
            @Parameter(description = "`examples`: the tracker also lists its labelled examples (`{text, match}`)",
                    example = "examples")
            @RequestParam(required = false) String include) {
        boolean withExamples = includesExamples(include);
        Tracker tracker = service.get(account, id);
        List<LabelledExample> examples = withExamples
                ? exampleSource.examplesOf(List.of(tracker.id())).getOrDefault(tracker.id(), List.of())
                : null;
        TrackerResponse.One one = new TrackerResponse.One(TrackerResponse.read(tracker, examples,
                exampleSource.countsOf(account, List.of(tracker.id())).get(tracker.id()),
                calibrations.calibrationsOf(account, List.of(tracker.id())).get(tracker.id())));
        // Set on the servlet response rather than through a ResponseEntity: Spring would then answer a matching
        // If-None-Match with 304, but the calibration in a read changes without a new version (any change to the
        // account's trackers recomputes it), so a 304 by version would keep a stale calibration (docs/api.md).
        response.setHeader(HttpHeaders.ETAG, TrackerPrecondition.etagOf(tracker));
        return one;
    }

    @PutMapping({"/tracker/{id}", ONE_TRACKER})
    @Operation(operationId = "replaceTracker",
            summary = "Replace a tracker: the body becomes the whole tracker, left-out fields get defaults")
    @ApiResponse(responseCode = "200",
            description = "The tracker as replaced; `version` grew by one (kept when nothing changed)",
            useReturnTypeSchema = true, headers = @Header(name = HttpHeaders.ETAG, description = ETAG_DOC,
                    schema = @Schema(type = "string", example = TAG)),
            content = @Content(examples = @ExampleObject(name = "replaced", value = REPLACED)))
    @ApiResponse(responseCode = "400", description = "A rule is broken, or `If-Match` is malformed",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, examples = {
                    @ExampleObject(name = "invalid-request", value = INVALID_PHRASE),
                    @ExampleObject(name = "malformed If-Match", value = MALFORMED_IF_MATCH)}))
    @ApiResponse(responseCode = "409", description = "Another tracker of the account has this name "
            + "(`tracker-name-taken`)", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "tracker-name-taken", value = NAME_TAKEN)))
    @ApiResponse(responseCode = "412", description = PRECONDITION_FAILED_DOC,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "precondition-failed", value = PRECONDITION_FAILED)))
    ResponseEntity<TrackerResponse.One> replace(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id,
            @Parameter(in = ParameterIn.HEADER, name = TrackerPrecondition.HEADER, description = IF_MATCH_DOC,
                    example = TAG)
            @RequestHeader(name = TrackerPrecondition.HEADER, required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = TrackerRequest.class),
                            examples = @ExampleObject(name = "tracker", value = REPLACE)))
            @RequestBody JsonNode body) {
        TrackerPrecondition precondition = TrackerPrecondition.parse(ifMatch);
        return written(service.replace(account, id, TrackerJson.read(body), precondition));
    }

    /**
     * The patch document types read: RFC 6902's and plain JSON (what Symbl's SDKs send). Another type, even a JSON
     * one such as RFC 7396's {@code application/merge-patch+json} (an object, not a list of operations), is a 415
     * with {@code Accept-Patch} listing these (RFC 5789), which OPTIONS answers too; it used to be read as JSON and
     * refused as a 400 "must be an array", which did not tell the client that the type was the problem. Symbl had no
     * PATCH; it is taken on both path families, as GET, PUT and DELETE are (on the older one it was a 405).
     */
    @PatchMapping(path = {"/tracker/{id}", ONE_TRACKER}, consumes = {JSON_PATCH, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "patchTracker",
            summary = "Change a tracker with a JSON-Patch (add, replace, remove, test)")
    @ApiResponse(responseCode = "200",
            description = "The tracker as patched; `version` grew by one (kept when nothing changed)",
            useReturnTypeSchema = true, headers = @Header(name = HttpHeaders.ETAG, description = ETAG_DOC,
                    schema = @Schema(type = "string", example = TAG)),
            content = @Content(examples = @ExampleObject(name = "patched", value = PATCHED)))
    @ApiResponse(responseCode = "400", description = "An unsupported op or path, a missing value, or a value that "
            + "breaks its member's rule whatever the tracker holds, or a malformed `If-Match`; nothing changes",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, examples = {
                    @ExampleObject(name = "invalid-request", value = INVALID_PATCH),
                    @ExampleObject(name = "malformed If-Match", value = MALFORMED_IF_MATCH)}))
    @ApiResponse(responseCode = "409", description = "The patch does not apply to the tracker's current state "
            + "(`conflict`: a `test` that fails, an index out of range, an absent member, a result that breaks a rule "
            + "with what the tracker holds; a phrase or label it already has is named by the operation that sent it, "
            + "`patch[i].value`), or a renamed tracker's new name is taken (`tracker-name-taken`); nothing changes",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, examples = {
                    @ExampleObject(name = "conflict", value = PATCH_CONFLICT),
                    @ExampleObject(name = "conflict-repeat", value = PATCH_REPEAT),
                    @ExampleObject(name = "test failed", value = TEST_FAILED),
                    @ExampleObject(name = "tracker-name-taken", value = NAME_TAKEN)}))
    @ApiResponse(responseCode = "412", description = PRECONDITION_FAILED_DOC,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "precondition-failed", value = PRECONDITION_FAILED)))
    @ApiResponse(responseCode = "415", description = "The body's `Content-Type` is neither `" + JSON_PATCH + "` nor `"
            + MediaType.APPLICATION_JSON_VALUE + "` (`unsupported-media-type`, e.g. `application/merge-patch+json`, "
            + "which is not read as a synonym); `Accept-Patch` lists the types read",
            headers = @Header(name = HttpHeaders.ACCEPT_PATCH, description = "The patch document types read",
                    schema = @Schema(type = "string", example = JSON_PATCH + ", " + MediaType.APPLICATION_JSON_VALUE)),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "unsupported-media-type", value = PATCH_TYPE_UNSUPPORTED)))
    ResponseEntity<TrackerResponse.One> patch(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id,
            @Parameter(in = ParameterIn.HEADER, name = TrackerPrecondition.HEADER, description = IF_MATCH_DOC,
                    example = TAG)
            @RequestHeader(name = TrackerPrecondition.HEADER, required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "An RFC 6902 JSON-Patch array",
                    content = {
                            @Content(mediaType = JSON_PATCH,
                                    array = @ArraySchema(schema = @Schema(implementation = PatchOperationDoc.class)),
                                    examples = @ExampleObject(name = "patch", value = PATCH)),
                            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    array = @ArraySchema(schema = @Schema(implementation = PatchOperationDoc.class)),
                                    examples = @ExampleObject(name = "patch", value = PATCH))})
            @RequestBody JsonNode body) {
        TrackerPrecondition precondition = TrackerPrecondition.parse(ifMatch);
        TrackerPatch patch = TrackerPatch.parse(body, jsonMapper);
        return written(service.patch(account, id, patch, precondition));
    }

    @DeleteMapping({"/tracker/{id}", ONE_TRACKER})
    @Operation(operationId = "deleteTracker", summary = "Delete a tracker")
    @ApiResponse(responseCode = "200", description = "Deleted", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "deleted", value = DELETED)))
    @ApiResponse(responseCode = "400", description = "`If-Match` is malformed",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "malformed If-Match", value = MALFORMED_IF_MATCH)))
    @ApiResponse(responseCode = "412", description = PRECONDITION_FAILED_DOC,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "precondition-failed", value = PRECONDITION_FAILED)))
    TrackerResponse.Deleted delete(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id,
            @Parameter(in = ParameterIn.HEADER, name = TrackerPrecondition.HEADER, description = IF_MATCH_DOC,
                    example = TAG)
            @RequestHeader(name = TrackerPrecondition.HEADER, required = false) String ifMatch) {
        service.delete(account, id, TrackerPrecondition.parse(ifMatch));
        return new TrackerResponse.Deleted(id, "tracker", true);
    }

    /** A changed tracker with its new entity tag, which a following conditional change sends as If-Match. */
    private static ResponseEntity<TrackerResponse.One> written(Tracker tracker) {
        return ResponseEntity.ok().header(HttpHeaders.ETAG, TrackerPrecondition.etagOf(tracker))
                .body(new TrackerResponse.One(TrackerResponse.of(tracker)));
    }

    /** Documents one JSON-Patch operation in the OpenAPI description; the body itself is read by TrackerPatch. */
    @Schema(name = "TrackerPatchOperation")
    record PatchOperationDoc(@Schema(allowableValues = {"add", "replace", "remove", "test"}) String op,
            @Schema(example = "/vocabulary/-") String path, Object value) {
    }

    // Examples of the OpenAPI document, from docs/management-api.md.
    private static final String ID = "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e";
    private static final String TAG = "\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e.v3\"";
    private static final String LOCATION = "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e";
    private static final String LOCATION_DOC = "The new tracker's path, `/v1/manage/trackers/<id>`";
    private static final String ETAG_DOC = "The tracker's strong entity tag, `\"<id>.v<version>\"`; send it as `If-Match` "
            + "to make a PUT, PATCH or DELETE conditional";
    private static final String IF_MATCH_DOC = "Make the change only if the tracker still has this ETag (one or more, "
            + "comma-separated, or `*`); otherwise 412 and nothing changes. Without it the change is made whatever "
            + "the version";
    private static final String PRECONDITION_FAILED_DOC = "`If-Match` names another version: the tracker changed "
            + "since it was read (`precondition-failed`, with the current `version` and `etag`); nothing changes";
    private static final String PRECONDITION_FAILED = """
            {"type": "https://opentrackers.io/problems/precondition-failed", "title": "Precondition Failed", "status": 412,
             "detail": "The tracker changed since: If-Match names version 2, it is at version 3 now (ETag \\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e.v3\\"); nothing was changed. Read it again (GET), apply your change to what it holds now and send its ETag",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e",
             "message": "The tracker changed since: If-Match names version 2, it is at version 3 now (ETag \\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e.v3\\"); nothing was changed. Read it again (GET), apply your change to what it holds now and send its ETag",
             "version": 3, "etag": "\\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e.v3\\""}""";
    private static final String MALFORMED_IF_MATCH = """
            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request", "status": 400,
             "detail": "If-Match: must be * or one or more entity tags in double quotes as the ETag header gives them (If-Match: \\"5b0a0b52-….v3\\"), was '3'",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e",
             "message": "If-Match: must be * or one or more entity tags in double quotes as the ETag header gives them (If-Match: \\"5b0a0b52-….v3\\"), was '3'",
             "errors": [{"field": "If-Match", "message": "must be * or one or more entity tags in double quotes as the ETag header gives them (If-Match: \\"5b0a0b52-….v3\\"), was '3'"}]}""";
    private static final String PATCH_TYPE_UNSUPPORTED = """
            {"type": "https://opentrackers.io/problems/unsupported-media-type", "title": "Unsupported Media Type",
             "status": 415,
             "detail": "Content-Type 'application/merge-patch+json' is not accepted here; send one of: application/json-patch+json, application/json.",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e",
             "message": "Content-Type 'application/merge-patch+json' is not accepted here; send one of: application/json-patch+json, application/json."}""";
    private static final String TEST_FAILED = """
            {"type": "https://opentrackers.io/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "The patch does not apply to the tracker's current state (version 3): patch[0]: test failed: /name is \\"Pricing questions\\", not \\"Pricing\\"",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e",
             "message": "The patch does not apply to the tracker's current state (version 3): patch[0]: test failed: /name is \\"Pricing questions\\", not \\"Pricing\\"",
             "errors": [{"field": "patch[0]", "message": "test failed: /name is \\"Pricing questions\\", not \\"Pricing\\""}]}""";
    private static final String CREATE = """
            {"name": "Pricing",
             "vocabulary": ["how much does it cost", "what is the price", "pricing plans", "too expensive", "discount"],
             "categories": ["sales"], "sensitivity": 0.6,
             "speaker": "customer", "window": {"anchor": "start", "seconds": 120},
             "exclude": ["not asking about the price"]}""";
    private static final String BULK = """
            [{"name": "Cancellation", "vocabulary": ["cancel my plan", "stop the subscription", "end the contract",
                                                     "close my account", "terminate service"]},
             {"name": "Competitors", "vocabulary": ["another vendor", "the other tool", "switch providers",
                                                    "cheaper elsewhere", "their product"]}]""";
    private static final String REPLACE = """
            {"name": "Pricing",
             "vocabulary": ["how much does it cost", "what is the price", "pricing plans", "too expensive", "any discount"]}""";
    private static final String PATCH = """
            [{"op": "add", "path": "/vocabulary/-", "value": "is there a free tier"},
             {"op": "replace", "path": "/vocabulary/0", "value": "how much is it"},
             {"op": "remove", "path": "/vocabulary/3"},
             {"op": "replace", "path": "/name", "value": "Pricing questions"},
             {"op": "add", "path": "/exclude/-", "value": "not about the price"}]""";
    private static final String ONE = """
            {"tracker": {"id": "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e", "name": "Pricing",
                         "categories": ["sales"], "languages": ["en-US"],
                         "vocabulary": ["how much does it cost", "what is the price", "pricing plans", "too expensive",
                                        "discount"],
                         "sensitivity": 0.6, "speaker": "customer", "window": {"anchor": "start", "seconds": 120},
                         "exclude": ["not asking about the price"], "version": 1,
                         "createdOn": "2026-11-24T15:02:11.512Z", "updatedOn": "2026-11-24T15:02:11.512Z"}}""";
    private static final String READ = """
            {"tracker": {"id": "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e", "name": "Pricing",
                         "categories": ["sales"], "languages": ["en-US"],
                         "vocabulary": ["how much does it cost", "what is the price", "pricing plans", "too expensive",
                                        "discount"],
                         "sensitivity": 0.6, "speaker": "customer", "window": {"anchor": "start", "seconds": 120},
                         "exclude": ["not asking about the price"], "version": 1,
                         "createdOn": "2026-11-24T15:02:11.512Z", "updatedOn": "2026-11-24T15:02:11.512Z",
                         "exampleCounts": {"positives": 14, "negatives": 34},
                         "calibration": {"model": "bge-small-en-v15-q~20c7f7b3", "threshold": 0.6482, "evidence": 323,
                                         "calibratedAt": "2026-11-24T15:02:12.870Z"}}}""";
    private static final String REPLACED = """
            {"tracker": {"id": "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e", "name": "Pricing",
                         "categories": [], "languages": ["en-US"],
                         "vocabulary": ["how much does it cost", "what is the price", "pricing plans", "too expensive",
                                        "any discount"],
                         "speaker": "any", "exclude": [], "version": 2,
                         "createdOn": "2026-11-24T15:02:11.512Z", "updatedOn": "2026-11-24T15:20:40.108Z"}}""";
    private static final String PATCHED = """
            {"tracker": {"id": "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e", "name": "Pricing questions",
                         "categories": [], "languages": ["en-US"],
                         "vocabulary": ["how much is it", "what is the price", "pricing plans", "any discount",
                                        "is there a free tier"],
                         "speaker": "any", "exclude": ["not about the price"], "version": 3,
                         "createdOn": "2026-11-24T15:02:11.512Z", "updatedOn": "2026-11-24T15:31:02.930Z"}}""";
    private static final String MANY = """
            {"trackers": [
              {"id": "0f3c1a9e-4b7d-4a51-9d0e-2c6b8e1f5a27", "name": "Cancellation", "categories": [],
               "languages": ["en-US"], "vocabulary": ["cancel my plan", "stop the subscription", "end the contract",
                                                      "close my account", "terminate service"],
               "speaker": "any", "exclude": [], "version": 1, "createdOn": "2026-11-24T15:05:00.020Z", "updatedOn": "2026-11-24T15:05:00.020Z"},
              {"id": "c2a8e6f4-1d3b-4e9a-8f70-5b2d9c4e1a63", "name": "Competitors", "categories": [],
               "languages": ["en-US"], "vocabulary": ["another vendor", "the other tool", "switch providers",
                                                      "cheaper elsewhere", "their product"],
               "speaker": "any", "exclude": [], "version": 1, "createdOn": "2026-11-24T15:05:00.020Z", "updatedOn": "2026-11-24T15:05:00.020Z"}]}""";
    /** A list read: the bulk create's trackers, with the read-only extensions (no calibration yet). */
    private static final String LIST = """
            {"trackers": [
              {"id": "0f3c1a9e-4b7d-4a51-9d0e-2c6b8e1f5a27", "name": "Cancellation", "categories": [],
               "languages": ["en-US"], "vocabulary": ["cancel my plan", "stop the subscription", "end the contract",
                                                      "close my account", "terminate service"],
               "speaker": "any", "exclude": [], "version": 1, "createdOn": "2026-11-24T15:05:00.020Z", "updatedOn": "2026-11-24T15:05:00.020Z",
               "exampleCounts": {"positives": 0, "negatives": 0}},
              {"id": "c2a8e6f4-1d3b-4e9a-8f70-5b2d9c4e1a63", "name": "Competitors", "categories": [],
               "languages": ["en-US"], "vocabulary": ["another vendor", "the other tool", "switch providers",
                                                      "cheaper elsewhere", "their product"],
               "speaker": "any", "exclude": [], "version": 1, "createdOn": "2026-11-24T15:05:00.020Z", "updatedOn": "2026-11-24T15:05:00.020Z",
               "exampleCounts": {"positives": 3, "negatives": 1}}]}""";
    private static final String DELETED = """
            {"id": "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e", "type": "tracker", "deleted": true}""";
    private static final String INVALID_PHRASE = """
            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request", "status": 400,
             "detail": "vocabulary[2]: \\"what's the price?\\" contains '?' which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)",
             "instance": "/v1/manage/trackers",
             "message": "vocabulary[2]: \\"what's the price?\\" contains '?' which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)",
             "errors": [{"field": "vocabulary[2]",
                         "message": "\\"what's the price?\\" contains '?' which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)"}]}""";
    private static final String INVALID_ITEMS_DETAIL = "item 0: name: a tracker named 'Pricing' already exists; "
            + "item 1: vocabulary: is required (a list of 5 to 50 phrases); item 3: vocabulary[4]: \\\"what?\\\" "
            + "contains '?' which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)";
    private static final String INVALID_ITEMS_START = "{\"type\": \"https://opentrackers.io/problems/invalid-request\", "
            + "\"title\": \"Bad Request\", \"status\": 400,\n \"detail\": \"" + INVALID_ITEMS_DETAIL + "\",\n \"instance\": ";
    private static final String INVALID_ITEMS_END = ",\n \"message\": \"" + INVALID_ITEMS_DETAIL + "\",\n"
            + " \"errors\": [{\"index\": 0, \"field\": \"name\", \"message\": \"a tracker named 'Pricing' already exists\"},\n"
            + "            {\"index\": 1, \"field\": \"vocabulary\", \"message\": \"is required (a list of 5 to 50 phrases)\"},\n"
            + "            {\"index\": 3, \"field\": \"vocabulary[4]\", \"message\": \"\\\"what?\\\" contains '?' which is not "
            + "allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)\"}]}";
    /** Every bad item of a bulk request in one answer: name conflicts are listed with the broken rules. */
    private static final String INVALID_ITEMS = INVALID_ITEMS_START + "\"/v1/manage/trackers/bulk\"" + INVALID_ITEMS_END;
    private static final String INVALID_ITEMS_ON_TRACKERS = INVALID_ITEMS_START + "\"/v1/manage/trackers\""
            + INVALID_ITEMS_END;
    private static final String INVALID_PATCH = """
            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request", "status": 400,
             "detail": "patch[2].path: '/id' cannot be patched; use /name, /description, /categories, /languages, /vocabulary, /sensitivity, /speaker, /window, /exclude, or /vocabulary/- and /vocabulary/N (likewise for categories, languages and exclude)",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e",
             "message": "patch[2].path: '/id' cannot be patched; use /name, /description, /categories, /languages, /vocabulary, /sensitivity, /speaker, /window, /exclude, or /vocabulary/- and /vocabulary/N (likewise for categories, languages and exclude)",
             "errors": [{"field": "patch[2].path",
                         "message": "'/id' cannot be patched; use /name, /description, /categories, /languages, /vocabulary, /sensitivity, /speaker, /window, /exclude, or /vocabulary/- and /vocabulary/N (likewise for categories, languages and exclude)"}]}""";
    private static final String PATCH_CONFLICT = """
            {"type": "https://opentrackers.io/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "The patch does not apply to the tracker's current state (version 3): patch[0]: replace failed: /description has no value to replace",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e",
             "message": "The patch does not apply to the tracker's current state (version 3): patch[0]: replace failed: /description has no value to replace",
             "errors": [{"field": "patch[0]", "message": "replace failed: /description has no value to replace"}]}""";
    private static final String PATCH_REPEAT = """
            {"type": "https://opentrackers.io/problems/conflict", "title": "Conflict", "status": 409,
             "detail": "The patch does not apply to the tracker's current state (version 3): patch[0].value: \\"Sales\\" repeats \\"sales\\", which the tracker has in /categories (labels are compared ignoring case, spacing and how accents are encoded)",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e",
             "message": "The patch does not apply to the tracker's current state (version 3): patch[0].value: \\"Sales\\" repeats \\"sales\\", which the tracker has in /categories (labels are compared ignoring case, spacing and how accents are encoded)",
             "errors": [{"field": "patch[0].value", "message": "\\"Sales\\" repeats \\"sales\\", which the tracker has in /categories (labels are compared ignoring case, spacing and how accents are encoded)"}]}""";
    private static final String NAME_TAKEN = """
            {"type": "https://opentrackers.io/problems/tracker-name-taken", "title": "Conflict", "status": 409,
             "detail": "name: a tracker named 'Pricing' already exists", "instance": "/v1/manage/trackers",
             "message": "name: a tracker named 'Pricing' already exists",
             "errors": [{"field": "name", "message": "a tracker named 'Pricing' already exists"}]}""";
    private static final String NAMES_TAKEN = """
            {"type": "https://opentrackers.io/problems/tracker-name-taken", "title": "Conflict", "status": 409,
             "detail": "item 1: name: a tracker named 'Competitors' already exists",
             "instance": "/v1/manage/trackers/bulk",
             "message": "item 1: name: a tracker named 'Competitors' already exists",
             "errors": [{"index": 1, "field": "name", "message": "a tracker named 'Competitors' already exists"}]}""";
    private static final String LIMIT_REACHED = """
            {"type": "https://opentrackers.io/problems/tracker-limit-reached", "title": "Conflict", "status": 409,
             "detail": "The account already holds 500 trackers, the limit is 500; delete trackers before creating more",
             "instance": "/v1/manage/trackers",
             "message": "The account already holds 500 trackers, the limit is 500; delete trackers before creating more"}""";

    private static TrackerResponse.Many many(List<Tracker> trackers) {
        return new TrackerResponse.Many(trackers.stream().map(TrackerResponse::of).toList());
    }
}
