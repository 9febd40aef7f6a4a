package io.opentrackers.tracker;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Management API under both path generations of the Symbl docs ({@code /tracker/...} and
 * {@code /trackers/...}), acting on the same store. Bodies are read as JSON trees: {@code POST /trackers}
 * must tell one tracker from an array of them, and {@link TrackerJson} names fields of the wrong type.
 */
@RestController
@RequestMapping("/v1/manage")
@Tag(name = "Trackers", description = "Management API: trackers are named lists of example phrases")
class TrackerController {

    private final TrackerService service;
    private final JsonMapper jsonMapper;

    TrackerController(TrackerService service, JsonMapper jsonMapper) {
        this.service = service;
        this.jsonMapper = jsonMapper;
    }

    @PostMapping("/tracker")
    @Operation(summary = "Create one tracker")
    ResponseEntity<TrackerResponse.One> createOne(AccountId account,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = TrackerRequest.class)))
            @RequestBody JsonNode body) {
        Tracker created = service.create(account, TrackerJson.read(body));
        return ResponseEntity.status(HttpStatus.CREATED).body(new TrackerResponse.One(TrackerResponse.of(created)));
    }

    @PostMapping("/trackers")
    @Operation(summary = "Create one tracker (object body) or several, all or nothing (array body)")
    ResponseEntity<?> create(AccountId account,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(oneOf = {TrackerRequest.class, TrackerRequest[].class})))
            @RequestBody JsonNode body) {
        return body.isArray() ? createMany(account, body) : createOne(account, body);
    }

    @PostMapping("/trackers/bulk")
    @Operation(summary = "Create several trackers, all or nothing; errors are listed per item index")
    ResponseEntity<TrackerResponse.Many> createMany(AccountId account,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(array = @ArraySchema(schema = @Schema(implementation = TrackerRequest.class))))
            @RequestBody JsonNode body) {
        // {"trackers":[...]} mirrors the response shape, so it is accepted as well as a bare array.
        JsonNode items = body.isObject() && body.has("trackers") ? body.get("trackers") : body;
        if (!items.isArray()) {
            throw new InvalidInputException("body", "must be a JSON array of trackers, was " + TrackerJson.kind(items));
        }
        List<FieldViolation> violations = new ArrayList<>();
        List<TrackerRequest> requests = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            List<FieldViolation> itemViolations = new ArrayList<>();
            requests.add(TrackerJson.read(items.get(i), "", itemViolations));
            for (FieldViolation violation : itemViolations) {
                violations.add(violation.atIndex(i));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        List<Tracker> created = service.createAll(account, requests);
        return ResponseEntity.status(HttpStatus.CREATED).body(many(created));
    }

    @GetMapping("/trackers")
    @Operation(summary = "List the account's trackers, or those whose name is exactly ?name= (case-sensitive)")
    TrackerResponse.Many list(AccountId account, @RequestParam(required = false) String name) {
        return many(name == null ? service.list(account) : service.findByName(account, name));
    }

    @GetMapping({"/tracker/{id}", "/trackers/{id}"})
    @Operation(summary = "Get one tracker")
    TrackerResponse.One get(AccountId account, @PathVariable String id) {
        return new TrackerResponse.One(TrackerResponse.of(service.get(account, id)));
    }

    @PutMapping({"/tracker/{id}", "/trackers/{id}"})
    @Operation(summary = "Replace a tracker: the body becomes the whole tracker, left-out fields get defaults")
    TrackerResponse.One replace(AccountId account, @PathVariable String id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = TrackerRequest.class)))
            @RequestBody JsonNode body) {
        return new TrackerResponse.One(TrackerResponse.of(service.replace(account, id, TrackerJson.read(body))));
    }

    @PatchMapping("/trackers/{id}")
    @Operation(summary = "Change a tracker with a JSON-Patch (add, replace, remove)")
    TrackerResponse.One patch(AccountId account, @PathVariable String id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(array = @ArraySchema(schema = @Schema(implementation = PatchOperationDoc.class))))
            @RequestBody JsonNode body) {
        TrackerPatch patch = TrackerPatch.parse(body, jsonMapper);
        return new TrackerResponse.One(TrackerResponse.of(service.patch(account, id, patch)));
    }

    @DeleteMapping({"/tracker/{id}", "/trackers/{id}"})
    @Operation(summary = "Delete a tracker")
    TrackerResponse.Deleted delete(AccountId account, @PathVariable String id) {
        service.delete(account, id);
        return new TrackerResponse.Deleted(id, "tracker", true);
    }

    /** Documents one JSON-Patch operation in the OpenAPI description; the body itself is read by TrackerPatch. */
    @Schema(name = "TrackerPatchOperation")
    record PatchOperationDoc(@Schema(allowableValues = {"add", "replace", "remove"}) String op,
            @Schema(example = "/vocabulary/-") String path, Object value) {
    }

    private static TrackerResponse.Many many(List<Tracker> trackers) {
        return new TrackerResponse.Many(trackers.stream().map(TrackerResponse::of).toList());
    }
}
