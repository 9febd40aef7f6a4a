package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.conversation.MessageRules;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.tracker.TrackerReference;
import io.opentrackers.tracker.TrackerSelection;
import io.swagger.v3.oas.annotations.Operation;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Async API (api.md): submit or append a conversation as JSON, WebVTT or SRT, and poll the job.
 * Transcripts carry no absolute times, so their cue times are added to the {@code startTime} query parameter
 * (default 1970-01-01T00:00:00Z, which makes message times read as offsets into the recording).
 */
@RestController
class JobController {

    static final String VTT = "text/vtt";
    static final String SRT = "application/x-subrip";

    private final JobService jobs;
    private final JobProperties properties;

    JobController(JobService jobs, JobProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    @PostMapping(path = "/v1/process/text", consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Submit a conversation; its tracker hits are found by an async job")
    ProcessTextRequest.Accepted submit(AccountId account, @RequestBody ProcessTextRequest request) {
        return jobs.submit(account, Submission.of(request, properties.maxMessages()));
    }

    @PutMapping(path = "/v1/process/text/{conversationId}", consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Append messages to a conversation; a new job processes them")
    ProcessTextRequest.Accepted append(AccountId account, @PathVariable String conversationId,
            @RequestBody ProcessTextRequest request) {
        return jobs.append(account, conversationId, Submission.of(request, properties.maxMessages()));
    }

    @PostMapping(path = "/v1/process/text", consumes = {VTT, SRT})
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Submit a WebVTT (text/vtt) or SRT (application/x-subrip) transcript; settings as query parameters")
    ProcessTextRequest.Accepted submitTranscript(AccountId account, @RequestBody String body,
            @RequestHeader("Content-Type") String contentType,
            TranscriptParameters parameters) {
        return jobs.submit(account, transcript(body, contentType, parameters));
    }

    @PutMapping(path = "/v1/process/text/{conversationId}", consumes = {VTT, SRT})
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Append a WebVTT or SRT transcript to a conversation")
    ProcessTextRequest.Accepted appendTranscript(AccountId account, @PathVariable String conversationId,
            @RequestBody String body, @RequestHeader("Content-Type") String contentType,
            TranscriptParameters parameters) {
        return jobs.append(account, conversationId, transcript(body, contentType, parameters));
    }

    @GetMapping("/v1/job/{jobId}")
    @Operation(summary = "A job's status: scheduled, in_progress, completed or failed, with progress")
    JobView job(AccountId account, @PathVariable String jobId) {
        return jobs.status(account, jobId);
    }

    /**
     * Query parameters of a transcript upload, bound by name; {@code trackerId} may repeat.
     */
    record TranscriptParameters(String name, String webhookUrl, Boolean enableAllTrackers, List<String> trackerId,
                                String startTime) {
    }

    private Submission transcript(String body, String contentType, TranscriptParameters parameters) {
        List<TranscriptParser.Cue> cues = contentType.toLowerCase(Locale.ROOT).startsWith(VTT)
                ? TranscriptParser.vtt(body) : TranscriptParser.srt(body);
        if (cues.size() > properties.maxMessages()) {
            throw new InvalidInputException("body", "at most " + properties.maxMessages() + " cues per request, got "
                    + cues.size());
        }
        Instant base = Instant.EPOCH;
        List<FieldViolation> violations = new ArrayList<>();
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
        List<NewMessage> checked = representable ? MessageRules.check("cues", messages, violations) : List.of();
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        List<TrackerReference> trackers = parameters.trackerId() == null ? null
                : parameters.trackerId().stream()
                        .map(id -> new TrackerReference(id, null, null, null)).toList();
        return new Submission(checked, parameters.name(), parameters.webhookUrl(),
                new TrackerSelection(trackers, parameters.enableAllTrackers()));
    }
}
