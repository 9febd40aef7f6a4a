package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.IdempotencyHeaders;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.conversation.MessageRules;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.tracker.TrackerReference;
import io.opentrackers.tracker.TrackerSelection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Async API (api.md): submit or append a conversation as JSON, WebVTT or SRT, and poll the job.
 * Transcripts carry no absolute times, so their cue times are added to the {@code startTime} query parameter,
 * or without it to the moment the conversation was created (its {@code createdOn}, for appended parts too).
 */
@RestController
@Tag(name = "Async API", description = "Recorded conversations, processed by durable jobs")
class JobController {

    static final String VTT = "text/vtt";
    static final String SRT = "application/x-subrip";

    private final JobService jobs;
    private final JobProperties properties;

    JobController(JobService jobs, JobProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    @PostMapping(path = "/v1/process/text", consumes = "application/json",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @SubmitOperation
    ResponseEntity<ProcessTextRequest.Accepted> submit(AccountId account, @RequestBody ProcessTextRequest request,
            @Parameter(hidden = true) @ModelAttribute TranscriptParameters query,
            @Parameter(hidden = true) @RequestHeader(name = IdempotentRequest.HEADER, required = false) String key) {
        List<FieldViolation> violations = new ArrayList<>();
        refuseTranscriptParameters(query, violations);
        String idempotencyKey = IdempotentRequest.key(key, violations);
        return created(jobs.submit(account, Submission.of(withQueryWebhookUrl(request, query.webhookUrl(), violations),
                properties.maxMessages(), violations), violations, idempotencyKey));
    }

    @PutMapping(path = "/v1/process/text/{conversationId}", consumes = "application/json",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @AppendOperation
    ResponseEntity<ProcessTextRequest.Accepted> append(AccountId account, @PathVariable String conversationId,
            @RequestBody ProcessTextRequest request,
            @Parameter(hidden = true) @ModelAttribute TranscriptParameters query,
            @Parameter(hidden = true) @RequestHeader(name = IdempotentRequest.HEADER, required = false) String key) {
        List<FieldViolation> violations = new ArrayList<>();
        refuseTranscriptParameters(query, violations);
        String idempotencyKey = IdempotentRequest.key(key, violations);
        return created(jobs.append(account, conversationId, Submission.of(withQueryWebhookUrl(request,
                query.webhookUrl(), violations), properties.maxMessages(), violations), violations, idempotencyKey));
    }

    /**
     * A JSON body carries the conversation's name, trackers, roles and times itself; the query parameters of a
     * transcript upload beside it were ignored, so {@code ?trackerId=<id>&enableAllTrackers=false} got a 201 and a
     * job applying every tracker of the account. Each is refused, naming the body member that says it.
     */
    private static void refuseTranscriptParameters(TranscriptParameters query, List<FieldViolation> violations) {
        String given = "is a query parameter of a transcript upload, and this request has a JSON body: ";
        if (query.name() != null) {
            violations.add(FieldViolation.of("name", given + "send \"name\" in the body"));
        }
        if (query.trackerId() != null) {
            violations.add(FieldViolation.of("trackerId", given + "send \"trackers\": [{\"id\": \"…\"}] in the body"));
        }
        if (query.enableAllTrackers() != null) {
            violations.add(FieldViolation.of("enableAllTrackers", given + "send \"enableAllTrackers\" in the body"));
        }
        if (query.speakerRoles() != null) {
            violations.add(FieldViolation.of("speakerRoles", given + "send \"speakerRoles\" in the body"));
        }
        if (query.startTime() != null) {
            violations.add(FieldViolation.of("startTime", given
                    + "give each message its times in \"duration\" (startTime, endTime)"));
        }
    }

    /**
     * 201 with {@code Location: /v1/job/<jobId>}: what a client follows next is the job, and a generic HTTP client
     * finds it without reading the body. A path reference (RFC 9110 section 10.2.2), right behind any proxy.
     */
    private static ResponseEntity<ProcessTextRequest.Accepted> created(JobService.Scheduled scheduled) {
        ProcessTextRequest.Accepted accepted = scheduled.accepted();
        ResponseEntity.BodyBuilder answer = ResponseEntity.created(URI.create("/v1/job/" + accepted.jobId()));
        // the answer of an earlier request with the same Idempotency-Key, as Stripe's API marks it
        if (scheduled.replayed()) {
            answer.header(REPLAYED, "true");
        }
        return answer.body(accepted);
    }

    static final String REPLAYED = IdempotencyHeaders.REPLAYED;

    /**
     * Symbl's own Python samples for POST and PUT /v1/process/text send {@code webhookUrl} as a query parameter
     * with a JSON body: ignored, the client got its 201 and never a notification. A body's own value wins when both
     * are the same; two different ones are a client's mistake, refused rather than guessed.
     */
    private static ProcessTextRequest withQueryWebhookUrl(ProcessTextRequest request, String queryWebhookUrl,
            List<FieldViolation> violations) {
        if (queryWebhookUrl == null || queryWebhookUrl.equals(request.webhookUrl())) {
            return request;
        }
        if (request.webhookUrl() != null) {
            violations.add(FieldViolation.of("webhookUrl", "is given in the body ('" + request.webhookUrl()
                    + "') and as a query parameter ('" + queryWebhookUrl + "'); send it once"));
            return request;
        }
        return request.withWebhookUrl(queryWebhookUrl);
    }

    @PostMapping(path = "/v1/process/text", consumes = {VTT, SRT}, produces = MediaType.APPLICATION_JSON_VALUE)
    @SubmitOperation
    ResponseEntity<ProcessTextRequest.Accepted> submitTranscript(AccountId account, @RequestBody(required = false) byte[] body,
            @Parameter(hidden = true) @RequestHeader("Content-Type") String contentType,
            @ParameterObject TranscriptParameters parameters,
            @Parameter(hidden = true) @RequestHeader(name = IdempotentRequest.HEADER, required = false) String key) {
        List<FieldViolation> violations = new ArrayList<>();
        String idempotencyKey = IdempotentRequest.key(key, violations);
        return created(jobs.submit(account, transcript(body, contentType, parameters, violations), violations,
                idempotencyKey));
    }

    @PutMapping(path = "/v1/process/text/{conversationId}", consumes = {VTT, SRT},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @AppendOperation
    ResponseEntity<ProcessTextRequest.Accepted> appendTranscript(AccountId account, @PathVariable String conversationId,
            @RequestBody(required = false) byte[] body,
            @Parameter(hidden = true) @RequestHeader("Content-Type") String contentType,
            @ParameterObject TranscriptParameters parameters,
            @Parameter(hidden = true) @RequestHeader(name = IdempotentRequest.HEADER, required = false) String key) {
        List<FieldViolation> violations = new ArrayList<>();
        String idempotencyKey = IdempotentRequest.key(key, violations);
        return created(jobs.append(account, conversationId, transcript(body, contentType, parameters, violations),
                violations, idempotencyKey));
    }

    @GetMapping(path = "/v1/job/{jobId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getJob",
            summary = "A job's status: scheduled, in_progress, completed or failed, with progress")
    @ApiResponse(responseCode = "200", description = "The job; `error` only when it failed", useReturnTypeSchema = true,
            content = @Content(examples = {
                    @ExampleObject(name = "in_progress", value = """
                            {"id": "d4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02", "status": "in_progress",
                             "conversationId": "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13",
                             "progress": {"done": 256, "total": 1500}}"""),
                    @ExampleObject(name = "completed", value = """
                            {"id": "d4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02", "status": "completed",
                             "conversationId": "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13",
                             "progress": {"done": 1500, "total": 1500}}""")}))
    JobView job(AccountId account,
            @Parameter(description = "The jobId from POST or PUT /v1/process/text",
                    example = "d4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02") @PathVariable String jobId) {
        return jobs.status(account, jobId);
    }

    /**
     * Query parameters of a transcript upload, bound by name; {@code trackerId} may repeat.
     */
    record TranscriptParameters(
            @Parameter(description = "Name of the conversation (transcripts only)", example = "Weekly") String name,
            @Parameter(description = "Receives POST {jobId, status} on each status change (transcripts, and JSON "
                    + "bodies without a webhookUrl of their own)",
                    example = "https://example.com/hooks/trackers") String webhookUrl,
            @Parameter(description = "With trackerId: add every tracker of the account (true) or use only those "
                    + "(false); alone: all (true) or none (false); absent with no trackerId: all (transcripts only)",
                    example = "true") Boolean enableAllTrackers,
            @Parameter(description = "A managed tracker to apply; repeat for several; an empty one is refused "
                    + "(enableAllTrackers=false applies none) (transcripts only)",
                    example = "[\"5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e\"]") List<String> trackerId,
            @Parameter(description = "ISO-8601 date-time the cue times are added to; default: when the "
                    + "conversation was created (its createdOn), also for a part appended to it (transcripts only)",
                    example = "2026-05-01T09:00:00Z") String startTime,
            @Parameter(description = "Roles of the transcript's speakers, for cues whose speaker is not named Agent or "
                    + "Customer (who take that role): `Name:agent` or `Name:customer`, separated by commas, or the "
                    + "JSON body's speakerRoles object (for a name with a comma); a role given here wins over the one "
                    + "a name is (transcripts only)",
                    example = "Ann Lee:agent,Bob:customer") String speakerRoles) {
    }

    // The OpenAPI document shows each JSON method and its transcript twin (same path and verb) as one operation,
    // and an annotated request body replaces rather than merges the twin's: so both carry the same documentation,
    // all three media types included, from one annotation per operation. Examples from docs/jobs.md.

    /** The OpenAPI operation {@code POST /v1/process/text}, on its JSON method and its transcript twin. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Operation(operationId = "submitConversation", summary = SUBMIT, description = SETTINGS)
    @ConversationAccepted
    @interface SubmitOperation {
    }

    /** The OpenAPI operation {@code PUT /v1/process/text/{conversationId}}, on its JSON method and its twin. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Operation(operationId = "appendToConversation", summary = APPEND,
            description = SETTINGS + APPEND_SELECTION)
    @Parameter(name = "conversationId", in = ParameterIn.PATH, description = "The conversation to append to",
            example = "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13")
    @ConversationAccepted
    @ApiResponse(responseCode = "409", description = "The conversation was recorded by a stream: PUT appends only to "
            + "conversations submitted with POST /v1/process/text")
    @interface AppendOperation {
    }

    /** What submitting and appending document alike: the body in its three media types, 201 and 429. */
    @Target(ElementType.ANNOTATION_TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = BODY, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = ProcessTextRequest.class),
                    examples = @ExampleObject(name = "conversation", value = CONVERSATION)),
            @Content(mediaType = VTT, schema = @Schema(type = "string"),
                    examples = @ExampleObject(name = "WebVTT", value = WEBVTT)),
            @Content(mediaType = SRT, schema = @Schema(type = "string"),
                    examples = @ExampleObject(name = "SRT", value = SUBRIP))})
    @ApiResponse(responseCode = "201", description = "Accepted: the conversation and its messages are stored, the "
            + "job is scheduled", useReturnTypeSchema = true, content = @Content(examples = @ExampleObject(
                    name = "accepted", value = ACCEPTED)), headers = {@Header(name = HttpHeaders.LOCATION,
                    description = "The job's path, `/v1/job/<jobId>`", schema = @Schema(type = "string",
                            example = "/v1/job/d4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02")),
                    @Header(name = REPLAYED, description = "`true` when this is the answer of an earlier request with "
                            + "the same Idempotency-Key (no new job was made)", schema = @Schema(type = "string",
                            allowableValues = "true"))})
    @ApiResponse(responseCode = "429", description = "The account already has trackers.jobs.max-active-per-account "
            + "(5) jobs scheduled or running; Retry-After: when its next job should finish (1-300 s)")
    @Parameter(name = IdempotentRequest.HEADER, in = ParameterIn.HEADER, description = "A key made for this request "
            + "(a UUID, for example; 1-255 printable ASCII characters): sent again with the same request, after an "
            + "answer that was lost, it gets the first request's answer (with Idempotent-Replayed: true) instead of a "
            + "second job. Remembered as long as the job exists.",
            schema = @Schema(type = "string", maxLength = IdempotentRequest.MAX_LENGTH),
            example = "5f1c2b8e-7a34-4e0b-9a61-0d3f8c2e4b17")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was sent before with another request",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(
                    name = "idempotency-key-reused", value = KEY_REUSED)))
    @interface ConversationAccepted {
    }

    private static final String KEY_REUSED = """
            {"type": "https://opentrackers.io/problems/idempotency-key-reused", "title": "Unprocessable Content",
             "status": 422, "detail": "Idempotency-Key was sent before with another request (job \
            'd4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02'); a key stands for one request: make a new key for a new request, \
            and send a retry exactly as the first", "instance": "/v1/process/text",
             "message": "Idempotency-Key was sent before with another request (job \
            'd4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02'); a key stands for one request: make a new key for a new request, \
            and send a retry exactly as the first",
             "errors": [{"field": "Idempotency-Key", "message": "was sent before with another request (job \
            'd4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02'); a key stands for one request: make a new key for a new request, \
            and send a retry exactly as the first"}]}""";
    private static final String SUBMIT = "Submit a conversation (JSON, WebVTT or SRT); an async job finds its "
            + "tracker hits";
    private static final String APPEND = "Append messages (JSON, WebVTT or SRT) to a conversation; a new job "
            + "processes them";
    private static final String SETTINGS = "A JSON body carries its settings (name, webhookUrl, trackers, "
            + "enableAllTrackers) itself; a transcript (`text/vtt`, `application/x-subrip`) takes them as the query "
            + "parameters, which a JSON body ignores, except `webhookUrl`: a JSON body without one takes it from the "
            + "query, as Symbl's Python samples send it (both, if different, are a 400).";
    private static final String APPEND_SELECTION = " Without `trackers` and `enableAllTrackers` the previous job's "
            + "tracker selection applies (managed trackers deleted since are left out). A `name` renames the "
            + "conversation.";
    private static final String BODY = "The conversation as JSON, or a transcript whose cues each become a message "
            + "(speaker from a WebVTT voice tag or a leading `Name:`). A message's speaker without a role of its own "
            + "(`from.role`) takes the one `speakerRoles` gives its userId or name (the body's field, a transcript's "
            + "query parameter), else the one it is named after: a speaker named Agent or Customer (any case).";
    private static final String ACCEPTED = """
            {"conversationId": "a3d2c9e4-6f1b-4c8a-9e57-2b0d4f6a8c13", "jobId": "d4e6f8a0-2b4c-4d6e-8f0a-1c3e5a7b9d02"}""";
    private static final String CONVERSATION = """
            {"name": "Call with Ann",
             "webhookUrl": "https://example.com/hooks/trackers",
             "trackers": [{"id": "5b0a0b52-8a0e-4c4e-9a36-3f4d2f1f7f4e"},
                          {"name": "Budget", "vocabulary": ["no budget", "too expensive", "can't afford it",
                                                            "over budget", "no money left"]}],
             "enableAllTrackers": false,
             "messages": [
               {"payload": {"content": "Hello. How much does it cost?", "contentType": "text/plain"},
                "from": {"userId": "ann@example.com", "name": "Ann"},
                "duration": {"startTime": "2026-03-01T10:00:00Z", "endTime": "2026-03-01T10:00:09Z"}}]}""";
    private static final String WEBVTT = """
            WEBVTT

            00:00:01.000 --> 00:00:04.000
            <v Ann Lee>Hello. How much does it cost?

            00:00:04.500 --> 00:00:07.000
            Bob: We have no budget left for this.
            """;
    private static final String SUBRIP = """
            1
            00:00:01,000 --> 00:00:04,000
            Ann: Hello. How much does it cost?

            2
            00:00:04,500 --> 00:00:07,000
            Bob: We have no budget left for this.
            """;

    private Submission transcript(byte[] body, String contentType, TranscriptParameters parameters,
            List<FieldViolation> violations) {
        MediaType type = MediaType.parseMediaType(contentType);
        String text = TranscriptParser.text(body, type.getCharset() == null ? StandardCharsets.UTF_8 : type.getCharset());
        List<TranscriptParser.Cue> cues = type.isCompatibleWith(MediaType.parseMediaType(VTT))
                ? TranscriptParser.vtt(text) : TranscriptParser.srt(text);
        if (cues.size() > properties.maxMessages()) {
            throw new InvalidInputException("body", "at most " + properties.maxMessages() + " cues per request, got "
                    + cues.size());
        }
        // without startTime the cues are offsets from the conversation's creation, added when it is known
        // (Submission.messagesIn); until then they are checked as instants after the epoch
        Instant base = Instant.EPOCH;
        if (parameters.startTime() != null) {
            try {
                base = OffsetDateTime.parse(parameters.startTime()).toInstant();
            } catch (DateTimeParseException e) {
                violations.add(FieldViolation.of("startTime", "must be an ISO-8601 date-time, got '"
                        + parameters.startTime() + "'"));
            }
        }
        Submission.checkName(parameters.name(), violations);
        Submission.checkWebhookUrl(parameters.webhookUrl(), violations);
        if (parameters.trackerId() != null && parameters.trackerId().isEmpty()) {
            // "trackerId=" (an unset variable in the client's URL) binds as no id at all: taken as "trackers": [] it
            // made a job that tracked nothing, accepted with 201 and completed with no hits
            violations.add(FieldViolation.of("trackerId", "must not be empty; leave it out to apply every tracker "
                    + "of the account, or send enableAllTrackers=false to apply none"));
        }
        List<IncomingMessage> messages = new ArrayList<>(cues.size());
        boolean representable = true;
        for (TranscriptParser.Cue cue : cues) {
            try {
                messages.add(new IncomingMessage(null, new IncomingMessage.Payload(cue.text(), null),
                        cue.speaker() == null ? null : new Speaker(null, cue.speaker()),
                        new IncomingMessage.Duration(base.plus(cue.start()).toString(), base.plus(cue.end()).toString()),
                        null));
            } catch (DateTimeException e) {
                // Instant ends in the year 1000000000: startTime near it plus a cue's offset has no time at all.
                // Times that exist but cannot be stored are MessageRules' to refuse, naming the cue.
                violations.add(FieldViolation.of("startTime", "'" + parameters.startTime() + "' plus the cue times "
                        + "lies beyond the last representable instant"));
                representable = false;
                break;
            }
        }
        Map<String, String> roles = SpeakerRolesParameter.parse(parameters.speakerRoles(), violations);
        List<NewMessage> checked = representable ? MessageRules.check("cues", messages, violations) : List.of();
        if (violations.isEmpty()) {
            checked = MessageRules.applyRoles(checked, roles);
        }
        List<TrackerReference> trackers = parameters.trackerId() == null ? null
                : parameters.trackerId().stream()
                        .map(id -> new TrackerReference(id, null, null, null)).toList();
        return new Submission(checked, parameters.name(), parameters.webhookUrl(),
                new TrackerSelection(trackers, parameters.enableAllTrackers()), parameters.startTime() == null, true);
    }
}
