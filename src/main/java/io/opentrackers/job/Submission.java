package io.opentrackers.job;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.conversation.Speaker;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked request: every rule of api.md's Async API is verified here, and all violations are reported at
 * once, each naming its field (for example {@code messages[2].payload.content}).
 */
record Submission(List<NewMessage> messages, String name, String webhookUrl, TrackerSelection selection) {

    static final int MAX_NAME = 256;
    static final int MAX_URL = 2048;
    static final int MAX_SPEAKER = 256;

    static Submission of(ProcessTextRequest request, int maxMessages) {
        List<FieldViolation> violations = new ArrayList<>();
        List<NewMessage> messages = new ArrayList<>();
        if (request.messages() == null || request.messages().isEmpty()) {
            violations.add(FieldViolation.of("messages", "at least one message is required"));
        } else if (request.messages().size() > maxMessages) {
            violations.add(FieldViolation.of("messages", "at most " + maxMessages + " messages per request, got "
                    + request.messages().size()));
        } else {
            for (int i = 0; i < request.messages().size(); i++) {
                NewMessage message = message("messages[" + i + "]", request.messages().get(i), violations);
                if (message != null) {
                    messages.add(message);
                }
            }
        }
        checkName(request.name(), violations);
        checkWebhookUrl(request.webhookUrl(), violations);
        if (request.trackers() != null) {
            for (int i = 0; i < request.trackers().size(); i++) {
                if (request.trackers().get(i) == null) {
                    violations.add(FieldViolation.of("trackers[" + i + "]", "must be a tracker object"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new Submission(messages, request.name(), request.webhookUrl(),
                new TrackerSelection(request.trackers(), request.enableAllTrackers()));
    }

    static void checkName(String name, List<FieldViolation> violations) {
        if (name != null && name.length() > MAX_NAME) {
            violations.add(FieldViolation.of("name", "at most " + MAX_NAME + " characters"));
        }
    }

    static void checkWebhookUrl(String url, List<FieldViolation> violations) {
        if (url == null) {
            return;
        }
        String reason = null;
        if (url.length() > MAX_URL) {
            reason = "at most " + MAX_URL + " characters";
        } else {
            try {
                URI uri = new URI(url);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                    reason = "must be an http or https URL, got '" + url + "'";
                } else if (uri.getHost() == null) {
                    reason = "must name a host, got '" + url + "'";
                }
            } catch (URISyntaxException e) {
                reason = "is not a valid URL: '" + url + "'";
            }
        }
        if (reason != null) {
            violations.add(FieldViolation.of("webhookUrl", reason));
        }
    }

    private static NewMessage message(String field, ProcessTextRequest.MessageRequest message,
            List<FieldViolation> violations) {
        if (message == null) {
            violations.add(FieldViolation.of(field, "must be a message object"));
            return null;
        }
        int before = violations.size();
        ProcessTextRequest.Payload payload = message.payload();
        if (payload == null || payload.content() == null || payload.content().isBlank()) {
            violations.add(FieldViolation.of(field + ".payload.content", "is required and must not be blank"));
        } else if (payload.contentType() != null && !payload.contentType().equalsIgnoreCase("text/plain")) {
            violations.add(FieldViolation.of(field + ".payload.contentType",
                    "only text/plain is supported, got '" + payload.contentType() + "'"));
        }
        Speaker from = message.from();
        if (from != null) {
            if (from.userId() != null && from.userId().length() > MAX_SPEAKER) {
                violations.add(FieldViolation.of(field + ".from.userId", "at most " + MAX_SPEAKER + " characters"));
            }
            if (from.name() != null && from.name().length() > MAX_SPEAKER) {
                violations.add(FieldViolation.of(field + ".from.name", "at most " + MAX_SPEAKER + " characters"));
            }
        }
        Instant start = null;
        Instant end = null;
        if (message.duration() != null) {
            start = time(field + ".duration.startTime", message.duration().startTime(), violations);
            end = time(field + ".duration.endTime", message.duration().endTime(), violations);
            if (start != null && end != null && end.isBefore(start)) {
                violations.add(FieldViolation.of(field + ".duration.endTime", "must not be before startTime"));
            }
        }
        if (violations.size() > before) {
            return null;
        }
        return new NewMessage(payload.content(), from == null || (from.userId() == null && from.name() == null)
                ? null : from, start, end);
    }

    private static Instant time(String field, String value, List<FieldViolation> violations) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(FieldViolation.of(field, "must be an ISO-8601 date-time such as "
                    + "2026-01-31T10:15:30Z, got '" + value + "'"));
            return null;
        }
    }
}
