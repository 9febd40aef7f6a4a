package io.opentrackers.job;

import io.opentrackers.common.FieldViolation;
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
 * A request whose own rules are checked: every rule of api.md's Async API that needs no lookup is verified here
 * (the messages by {@link MessageRules}, as in every entry point), each violation naming its field (for example
 * {@code messages[2].payload.content}). The violations are collected, not thrown: {@link JobService} adds those
 * of the tracker selection and the webhook destination, so that all of them are reported at once.
 *
 * @param fromCreation  the message times are offsets from the conversation's creation, held as instants after the
 *                      epoch until the conversation is known: a transcript without {@code startTime}
 * @param transcript    a WebVTT or SRT upload, whose messages are the body's cues and whose tracker references are
 *                      the query parameter {@code trackerId}
 */
record Submission(List<NewMessage> messages, String name, String webhookUrl, TrackerSelection selection,
        boolean fromCreation, boolean transcript) {

    /** A JSON body's submission. */
    Submission(List<NewMessage> messages, String name, String webhookUrl, TrackerSelection selection) {
        this(messages, name, webhookUrl, selection, false, false);
    }

    /** The field that holds the request's messages. */
    String messagesField() {
        return transcript ? "body" : "messages";
    }

    /**
     * A violation of the tracker selection (named {@code trackers[i].id} by the tracker catalog) under the name this
     * request gave the field: a transcript's {@code trackerId=} has no {@code trackers} array to point into.
     */
    FieldViolation asRequested(FieldViolation violation) {
        if (!transcript || violation.field() == null || !violation.field().startsWith("trackers")) {
            return violation;
        }
        return new FieldViolation(violation.index(), "trackerId", violation.message());
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

    /** The request, checked by its own rules; their violations are added to {@code violations}. */
    static Submission of(ProcessTextRequest request, int maxMessages, List<FieldViolation> violations) {
        int before = violations.size();
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
        // roles are applied only once they are known to be valid; a refused request is never stored anyway
        List<NewMessage> withRoles = violations.size() > before ? messages
                : MessageRules.applyRoles(messages, request.speakerRoles());
        return new Submission(withRoles, request.name(), request.webhookUrl(),
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
