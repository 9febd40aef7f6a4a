package io.opentrackers.job;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.conversation.MessageRules;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.tracker.TrackerSelection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked request: every rule of api.md's Async API is verified here (the messages by {@link MessageRules},
 * as in every entry point), and all violations are reported at once, each naming its field (for example
 * {@code messages[2].payload.content}).
 *
 * @param fromCreation the message times are offsets from the conversation's creation, held as instants after the
 *                     epoch until the conversation is known: a transcript without {@code startTime}
 */
record Submission(List<NewMessage> messages, String name, String webhookUrl, TrackerSelection selection,
        boolean fromCreation) {

    /** A submission whose message times are absolute (JSON, or a transcript with {@code startTime}). */
    Submission(List<NewMessage> messages, String name, String webhookUrl, TrackerSelection selection) {
        this(messages, name, webhookUrl, selection, false);
    }

    /**
     * The messages as they are stored in a conversation created at {@code createdOn}: a transcript's cue offsets
     * without {@code startTime} count from that moment, for its first part and for every part appended to it, so
     * that one recording stays on one timeline.
     */
    List<NewMessage> messagesIn(Instant createdOn) {
        if (!fromCreation) {
            return messages;
        }
        Duration shift = Duration.between(Instant.EPOCH, createdOn);
        return messages.stream().map(m -> new NewMessage(m.text(), m.from(),
                m.startTime() == null ? null : m.startTime().plus(shift),
                m.endTime() == null ? null : m.endTime().plus(shift))).toList();
    }

    static final int MAX_URL = 2048;

    static Submission of(ProcessTextRequest request, int maxMessages) {
        List<FieldViolation> violations = new ArrayList<>();
        List<NewMessage> messages = List.of();
        if (request.messages() != null && request.messages().size() > maxMessages) {
            violations.add(FieldViolation.of("messages", "at most " + maxMessages + " messages per request, got "
                    + request.messages().size()));
        } else {
            messages = MessageRules.check(request.messages(), violations);
        }
        MessageRules.checkSpeakerRoles("speakerRoles", request.speakerRoles(), violations);
        checkName(request.name(), violations);
        checkWebhookUrl(request.webhookUrl(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new Submission(MessageRules.applyRoles(messages, request.speakerRoles()), request.name(),
                request.webhookUrl(),
                new TrackerSelection(request.trackers(), request.enableAllTrackers()));
    }

    static void checkName(String name, List<FieldViolation> violations) {
        MessageRules.checkConversationName("name", name, violations);
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
}
