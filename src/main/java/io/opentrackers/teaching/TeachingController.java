package io.opentrackers.teaching;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.opentrackers.account.AccountId;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.matching.QualityEstimate;
import io.opentrackers.tracker.TrackerRevisions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/** Teaching a tracker: its labelled examples, suggestions of sentences to label, and a quality estimate. */
@RestController
@RequestMapping(path = "/v1/manage/trackers/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Teaching", description = "Labelled examples that change how a tracker decides, suggestions of sentences"
        + " to label from the account's conversations, and a cross-validated quality estimate")
class TeachingController {

    static final int DEFAULT_SUGGESTIONS = 25;
    static final int MAX_SUGGESTIONS = 100;

    @Schema(name = "ExampleRequest", description = "A labelled sentence: should the tracker fire on it?")
    record ExampleRequest(@Schema(example = "Is there a cheaper plan?", minLength = 1, maxLength = 1000,
            requiredMode = REQUIRED) String text,
            @Schema(example = "true", requiredMode = REQUIRED) boolean match) {
    }

    @Schema(name = "Example")
    record ExampleView(@Schema(requiredMode = REQUIRED) String id, @Schema(requiredMode = REQUIRED) String text,
            @Schema(requiredMode = REQUIRED) boolean match, @Schema(requiredMode = REQUIRED) Instant createdOn,
            @Schema(description = "Only in the answer of POST (an extension): the example's label before this write, "
                    + "present when the tracker already had an example of the text (relabelled, or given the same "
                    + "label again), absent when this write created the example. To take the write back, delete an "
                    + "example without `previous` and post the text with `previous.match` for one with it.")
            Previous previous) {
        static ExampleView of(Example e) {
            return new ExampleView(e.id(), e.text(), e.match(), e.createdOn(), null);
        }

        static ExampleView of(ExampleService.Written w) {
            Example e = w.example();
            return new ExampleView(e.id(), e.text(), e.match(), e.createdOn(),
                    w.previousMatch() == null ? null : new Previous(w.previousMatch()));
        }
    }

    @Schema(name = "ExamplePrevious", description = "What the example was before the write that answers it")
    record Previous(@Schema(example = "false", requiredMode = REQUIRED) boolean match) {
    }

    @Schema(name = "ExampleList", description = "`{\"examples\": [...]}`, in the order they were added")
    record Examples(@Schema(requiredMode = REQUIRED) List<ExampleView> examples) {
        static Examples of(List<Example> examples) {
            return new Examples(examples.stream().map(ExampleView::of).toList());
        }

        static Examples written(List<ExampleService.Written> written) {
            return new Examples(written.stream().map(ExampleView::of).toList());
        }
    }

    @Schema(name = "ExampleEnvelope", description = "`{\"example\": {...}}`, as one tracker is `{\"tracker\": {...}}`")
    record One(@Schema(requiredMode = REQUIRED) ExampleView example) {
    }

    @Schema(name = "ExampleDeleted")
    record Deleted(@Schema(requiredMode = REQUIRED) String id,
            @Schema(example = "example", requiredMode = REQUIRED) String type,
            @Schema(requiredMode = REQUIRED) boolean deleted) {
    }

    /**
     * The estimate; its figures are written as {@code null} (not left out) while there are too few examples, and
     * {@code minimum} says how many of each kind they need. {@code counts} are what the figures are made of, and
     * {@code ranges} how sure they are: from a few dozen examples a precision of 0.25 can as well be 0.05 or 0.7,
     * which the figure alone does not tell.
     */
    @Schema(name = "TrackerQuality")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Quality(@Schema(requiredMode = REQUIRED) int examples, @Schema(requiredMode = REQUIRED) int positives,
            @Schema(requiredMode = REQUIRED) int negatives,
            @Schema(nullable = true, requiredMode = REQUIRED) Double precision,
            @Schema(nullable = true, requiredMode = REQUIRED) Double recall,
            @Schema(nullable = true, requiredMode = REQUIRED) Double f1,
            @Schema(example = "5-fold cross-validation", requiredMode = REQUIRED) String method,
            @Schema(requiredMode = REQUIRED) Minimum minimum,
            @Schema(nullable = true, requiredMode = REQUIRED) Counts counts,
            @Schema(nullable = true, requiredMode = REQUIRED) Ranges ranges) {
        static Quality of(QualityEstimate q) {
            Counts counts = q.truePositives() == null ? null
                    : new Counts(q.truePositives(), q.falsePositives(), q.positives() - q.truePositives());
            Ranges ranges = counts == null ? null
                    : new Ranges(Range.of(counts.truePositives(), counts.truePositives() + counts.falsePositives()),
                            Range.of(counts.truePositives(), q.positives()));
            return new Quality(q.examples(), q.positives(), q.negatives(), round(q.precision()), round(q.recall()),
                    round(q.f1()), q.method(),
                    new Minimum(QualityEstimate.MIN_POSITIVES, QualityEstimate.MIN_NEGATIVES), counts, ranges);
        }

        private static Double round(Double x) {
            return x == null ? null : Math.round(x * 10_000) / 10_000.0;
        }
    }

    @Schema(name = "QualityCounts", description = "What the figures are made of, over the held-out examples: "
            + "positives it fired on, negatives it fired on, positives it missed; `null` with the figures")
    record Counts(@Schema(example = "13", requiredMode = REQUIRED) int truePositives,
            @Schema(example = "2", requiredMode = REQUIRED) int falsePositives,
            @Schema(example = "1", requiredMode = REQUIRED) int falseNegatives) {
    }

    // written with its nulls like Quality: the service's JSON leaves nulls out, which left out a precision range that
    // api.md, this schema and the management UI read as null
    @Schema(name = "QualityRanges", description = "How sure the figures are: the 95 % Wilson score interval of "
            + "precision and of recall (`null` with its figure); it narrows as examples are added")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Ranges(@Schema(nullable = true, requiredMode = REQUIRED) Range precision,
            @Schema(nullable = true, requiredMode = REQUIRED) Range recall) {
    }

    @Schema(name = "QualityRange", description = "95 % Wilson score interval of a share")
    record Range(@Schema(example = "0.6212", requiredMode = REQUIRED) double low,
            @Schema(example = "0.9626", requiredMode = REQUIRED) double high) {
        private static final double Z = 1.959964; // two-sided 95 %

        /** The interval of {@code hits} out of {@code n}; null when n is 0 (the share itself is undefined). */
        static Range of(int hits, int n) {
            if (n == 0) {
                return null;
            }
            double p = (double) hits / n;
            double z2 = Z * Z;
            double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
            return new Range(Quality.round(Math.max(0, centre - half)), Quality.round(Math.min(1, centre + half)));
        }
    }

    @Schema(name = "QualityMinimum",
            description = "The positive and negative examples the figures need before they are estimated")
    record Minimum(@Schema(example = "3", requiredMode = REQUIRED) int positives,
            @Schema(example = "3", requiredMode = REQUIRED) int negatives) {
    }

    @Schema(name = "SuggestionList")
    record Suggestions(@Schema(requiredMode = REQUIRED) List<TeachingService.Suggestion> suggestions) {
    }

    private final ExampleService examples;
    private final TeachingService teaching;

    TeachingController(ExampleService examples, TeachingService teaching) {
        this.examples = examples;
        this.teaching = teaching;
    }

    @PostMapping("/examples")
    @Operation(operationId = "addTrackerExamples",
            summary = "Add labelled examples to a tracker (one object or an array, all or nothing); the tracker "
            + "decides with them within a second, its vocabulary is unchanged",
            description = "The latest label wins: a text the tracker already has an example of (ignoring case, "
                    + "spacing and Unicode form) keeps its example and id and takes the new label, without counting "
                    + "again toward the limit; in an array, the last occurrence of a text gives its label. The array may "
                    + "also come as `{\"examples\": [...]}`, the answer of GET, so that it can be posted back as it is.")
    @ApiResponse(responseCode = "201", description = "The examples as stored, one per distinct text; the tracker's "
            + "`version` grew by one unless nothing changed. An example the tracker already had carries `previous`, "
            + "its label before this write; one this write created has none",
            useReturnTypeSchema = true, headers = {@Header(name = HttpHeaders.LOCATION, description = "For an object "
                    + "body that created its example: the example's path, `/v1/manage/trackers/<id>/examples/"
                    + "<exampleId>`", schema = @Schema(type = "string", example = LOCATION)),
                    @Header(name = HttpHeaders.ETAG, description = ETAG_DOC, schema = @Schema(type = "string",
                            example = TAG))},
            content = @Content(examples = @ExampleObject(name = "added", value = WRITTEN)))
    @ApiResponse(responseCode = "400", description = "A rule is broken; `errors[]` names each field (with `index` "
            + "for an array), or `If-Match` is malformed", content = @Content(
                    mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, examples = {
                            @ExampleObject(name = "invalid-request", value = INVALID),
                            @ExampleObject(name = "malformed If-Match", value = MALFORMED_IF_MATCH)}))
    @ApiResponse(responseCode = "409", description = "The tracker would hold more than 1,000 examples (distinct "
            + "texts) (`example-limit-reached`)", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "example-limit-reached", value = LIMIT)))
    @ApiResponse(responseCode = "412", description = PRECONDITION_FAILED_DOC,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "precondition-failed", value = PRECONDITION_FAILED)))
    ResponseEntity<Examples> add(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id,
            @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_MATCH, description = IF_MATCH_DOC, example = TAG)
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(title = "OneOrMoreExamples",
                            oneOf = {ExampleRequest.class, ExampleRequest[].class}),
                    examples = {@ExampleObject(name = "one", value = ONE),
                            @ExampleObject(name = "several", value = SEVERAL)}))
            @RequestBody JsonNode body) {
        ExampleService.Write write = examples.add(account, id, ifMatch, ExampleRules.read(body));
        List<ExampleService.Written> written = write.examples();
        ResponseEntity.BodyBuilder created = ResponseEntity.status(HttpStatus.CREATED)
                .eTag(TrackerRevisions.etag(id, write.version()));
        if (ExampleRules.isOne(body) && written.get(0).previousMatch() == null) {
            created.location(UriComponentsBuilder.fromPath("/v1/manage/trackers/{id}/examples/{exampleId}")
                    .buildAndExpand(id, written.get(0).example().id()).encode().toUri());
        }
        return created.body(Examples.written(written));
    }

    @GetMapping("/examples")
    @Operation(operationId = "listTrackerExamples", summary = "List a tracker's examples")
    @ApiResponse(responseCode = "200", description = "In the order they were added", useReturnTypeSchema = true,
            headers = @Header(name = HttpHeaders.ETAG, description = ETAG_DOC, schema = @Schema(type = "string",
                    example = TAG)),
            content = @Content(examples = @ExampleObject(name = "examples", value = ADDED)))
    ResponseEntity<Examples> list(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id) {
        ExampleService.Listed listed = examples.list(account, id);
        return ResponseEntity.ok().eTag(TrackerRevisions.etag(id, listed.version()))
                .body(Examples.of(listed.examples()));
    }

    @GetMapping("/examples/{exampleId}")
    @Operation(operationId = "getTrackerExample",
            summary = "Read one example (the `Location` of the POST that created it)")
    @ApiResponse(responseCode = "200", description = "The example", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "example", value = ONE_READ)))
    One get(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id,
            @Parameter(description = "The example's id", example = EXAMPLE_ID) @PathVariable String exampleId) {
        return new One(ExampleView.of(examples.get(account, id, exampleId)));
    }

    @DeleteMapping("/examples/{exampleId}")
    @Operation(operationId = "deleteTrackerExample",
            summary = "Remove one example; the tracker decides without it within a second")
    @ApiResponse(responseCode = "200", description = "Deleted; the tracker's `version` grew by one",
            useReturnTypeSchema = true, headers = @Header(name = HttpHeaders.ETAG, description = ETAG_DOC,
                    schema = @Schema(type = "string", example = TAG)),
            content = @Content(examples = @ExampleObject(name = "deleted", value = DELETED)))
    @ApiResponse(responseCode = "400", description = "`If-Match` is malformed",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "malformed If-Match", value = MALFORMED_IF_MATCH)))
    @ApiResponse(responseCode = "412", description = PRECONDITION_FAILED_DOC,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "precondition-failed", value = PRECONDITION_FAILED)))
    ResponseEntity<Deleted> delete(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id,
            @Parameter(description = "The example's id", example = EXAMPLE_ID) @PathVariable String exampleId,
            @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_MATCH, description = IF_MATCH_DOC, example = TAG)
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        long version = examples.delete(account, id, ifMatch, exampleId);
        return ResponseEntity.ok().eTag(TrackerRevisions.etag(id, version))
                .body(new Deleted(exampleId, "example", true));
    }

    @GetMapping("/suggestions")
    @Operation(operationId = "getTrackerSuggestions",
            summary = "Sentences of the account's stored conversations worth labelling for this tracker: near "
            + "its decision boundary, from both sides, no near-duplicates")
    @ApiResponse(responseCode = "200", description = "`fired`: whether the tracker fires on the sentence now, as a "
            + "job on its conversation would decide it (in its whole message, with the tracker's conditions); "
            + "`score`: its best cosine to the tracker's phrases and positive examples", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "suggestions", value = SUGGESTIONS)))
    Suggestions suggestions(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id,
            @Parameter(description = "How many (1-100, default 25)", example = "25", schema = @Schema(type = "integer",
                    format = "int32", minimum = "1", maximum = "100", defaultValue = "25"))
            @RequestParam(required = false) Integer limit) {
        int n = limit == null ? DEFAULT_SUGGESTIONS : limit;
        if (n < 1 || n > MAX_SUGGESTIONS) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_SUGGESTIONS + ", was " + n);
        }
        return new Suggestions(teaching.suggestions(account, id, n));
    }

    @GetMapping("/quality")
    @Operation(operationId = "getTrackerQuality",
            summary = "Estimate of the tracker's precision, recall and F1 from its examples (5-fold cross-validation)")
    @ApiResponse(responseCode = "200", description = "Figures are `null` until the tracker has 3 positive and 3 "
            + "negative examples; `counts` are what they are made of and `ranges` their 95 % intervals (how sure "
            + "they are)", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "quality", value = QUALITY)))
    Quality quality(AccountId account,
            @Parameter(description = "The tracker's id", example = ID) @PathVariable String id) {
        return Quality.of(teaching.quality(account, id));
    }

    private static final String ID = "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e";
    private static final String EXAMPLE_ID = "9d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6";
    private static final String TAG = "\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e.v3\"";
    private static final String LOCATION = "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e/examples/"
            + "9d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6";
    private static final String ETAG_DOC = "The tracker's entity tag, `\"<id>.v<version>\"` (after the write, for "
            + "POST and DELETE): the `If-Match` of the next conditional write of its examples, or of a PUT, PATCH or "
            + "DELETE of the tracker";
    private static final String IF_MATCH_DOC = "Make the write only if the tracker still has this ETag (one or more, "
            + "comma-separated, or `*`), as for PUT, PATCH and DELETE of the tracker: an example write changes its "
            + "version and so its ETag; otherwise 412 and nothing changes. Without it the write is made whatever the "
            + "version";
    private static final String PRECONDITION_FAILED_DOC = "`If-Match` names another version: the tracker changed "
            + "since it was read (`precondition-failed`, with the current `version` and `etag`); nothing changes";
    private static final String PRECONDITION_FAILED = """
            {"type": "https://opentrackers.io/problems/precondition-failed", "title": "Precondition Failed", "status": 412,
             "detail": "The tracker changed since: If-Match names version 2, it is at version 3 now (ETag \\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e.v3\\"); nothing was changed. Read it again (GET), apply your change to what it holds now and send its ETag",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e/examples",
             "message": "The tracker changed since: If-Match names version 2, it is at version 3 now (ETag \\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e.v3\\"); nothing was changed. Read it again (GET), apply your change to what it holds now and send its ETag",
             "version": 3, "etag": "\\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e.v3\\""}""";
    private static final String MALFORMED_IF_MATCH = """
            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request", "status": 400,
             "detail": "If-Match: must be * or one or more entity tags in double quotes as the ETag header gives them (If-Match: \\"5b0a0b52-….v3\\"), was '3'",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e/examples/9d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6",
             "message": "If-Match: must be * or one or more entity tags in double quotes as the ETag header gives them (If-Match: \\"5b0a0b52-….v3\\"), was '3'",
             "errors": [{"field": "If-Match", "message": "must be * or one or more entity tags in double quotes as the ETag header gives them (If-Match: \\"5b0a0b52-….v3\\"), was '3'"}]}""";
    private static final String ONE_READ = """
            {"example": {"id": "9d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6", "text": "Is there a cheaper plan?", "match": true,
                         "createdOn": "2026-11-26T12:30:00.120Z"}}""";
    private static final String ONE = """
            {"text": "Is there a cheaper plan?", "match": true}""";
    private static final String SEVERAL = """
            [{"text": "Is there a cheaper plan?", "match": true},
             {"text": "The price of the tickets went up again.", "match": false}]""";
    private static final String ADDED = """
            {"examples": [
              {"id": "9d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6", "text": "Is there a cheaper plan?", "match": true,
               "createdOn": "2026-11-26T12:30:00.120Z"},
              {"id": "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d", "text": "The price of the tickets went up again.",
               "match": false, "createdOn": "2026-11-26T12:30:00.120Z"}]}""";
    private static final String WRITTEN = """
            {"examples": [
              {"id": "9d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6", "text": "Is there a cheaper plan?", "match": true,
               "createdOn": "2026-11-26T12:30:00.120Z"},
              {"id": "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d", "text": "The price of the tickets went up again.",
               "match": false, "createdOn": "2026-11-25T09:12:41.007Z", "previous": {"match": true}}]}""";
    private static final String DELETED = """
            {"id": "9d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6", "type": "example", "deleted": true}""";
    private static final String SUGGESTIONS = """
            {"suggestions": [
              {"conversationId": "6d2f0c1e-3b4a-4c5d-9e8f-7a6b5c4d3e2f", "messageId": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
               "text": "Do you have anything for small teams?", "score": 0.7712, "fired": true},
              {"conversationId": "6d2f0c1e-3b4a-4c5d-9e8f-7a6b5c4d3e2f", "messageId": "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
               "text": "What does the report cost us in time?", "score": 0.7641, "fired": false}]}""";
    private static final String QUALITY = """
            {"examples": 48, "positives": 14, "negatives": 34, "precision": 0.8667, "recall": 0.9286, "f1": 0.8966,
             "method": "5-fold cross-validation", "minimum": {"positives": 3, "negatives": 3},
             "counts": {"truePositives": 13, "falsePositives": 2, "falseNegatives": 1},
             "ranges": {"precision": {"low": 0.6212, "high": 0.9626}, "recall": {"low": 0.6853, "high": 0.9873}}}""";
    private static final String INVALID = """
            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request", "status": 400,
             "detail": "item 1: text: must not be blank; item 1: match: must be true or false, was a string",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e/examples",
             "message": "item 1: text: must not be blank; item 1: match: must be true or false, was a string",
             "errors": [{"index": 1, "field": "text", "message": "must not be blank"},
                        {"index": 1, "field": "match", "message": "must be true or false, was a string"}]}""";
    private static final String LIMIT = """
            {"type": "https://opentrackers.io/problems/example-limit-reached", "title": "Conflict", "status": 409,
             "detail": "Adding 2 new examples would exceed the limit of 1000 examples per tracker; the tracker holds 999 (1 left)",
             "instance": "/v1/manage/trackers/5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e/examples",
             "message": "Adding 2 new examples would exceed the limit of 1000 examples per tracker; the tracker holds 999 (1 left)"}""";
}
