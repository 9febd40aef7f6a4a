package io.opentrackers.streaming;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the server sends, in the shapes the official {@code @symblai/symbl-js} SDK parses (api.md). */
final class ServerFrames {

    private ServerFrames() {
    }

    /** {@code {"type":"message","message":{…}}}: status and error notices. */
    record Notice(String type, Object message) {
    }

    /**
     * {@code errors} (an extension) names each refused field, as a problem response's {@code errors} does;
     * {@code warnings} (an extension of started_listening) what limits a stream's results, as a job's {@code warnings}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NoticeBody(String type, Object data, String conversationId, String details, List<FieldViolation> errors,
                      List<String> warnings) {

        NoticeBody(String type, Object data, String conversationId, String details, List<FieldViolation> errors) {
            this(type, data, conversationId, details, errors, null);
        }
    }

    record MessageResponse(String type, List<OutMessage> messages) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OutMessage(String id, OutPayload payload, Speaker from, OutDuration duration) {
    }

    record OutPayload(String content, String contentType) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OutDuration(Instant startTime, Instant endTime) {
    }

    record TrackerResponse(String type, boolean isFinal, long sequenceNumber, List<TrackerResult> trackers) {
    }

    /**
     * {@code warnings} are left out when there are none, as a job leaves out its own: a client that does not know them
     * (Symbl's SDKs pass the notice to their {@code onStartedListening} handler) sees Symbl's notice.
     */
    static Notice startedListening(List<String> warnings) {
        return notice(new NoticeBody("started_listening", null, null, null, null,
                warnings.isEmpty() ? null : warnings));
    }

    /**
     * Symbl's Python, Go and Web SDKs learn a stream's conversation id from this notice only (the JS SDK reads
     * recognition_started's): without it their {@code connection.conversation} stays empty.
     */
    static Notice conversationCreated(String conversationId) {
        return notice(new NoticeBody("conversation_created", Map.of("conversationId", conversationId), null, null,
                null));
    }

    static Notice recognitionStarted(String conversationId) {
        return notice(new NoticeBody("recognition_started", Map.of("conversationId", conversationId), null, null,
                null));
    }

    static Notice conversationCompleted(String conversationId) {
        return notice(new NoticeBody("conversation_completed", null, conversationId, null, null));
    }

    static Notice error(String details) {
        return notice(new NoticeBody("error", null, null, details, null));
    }

    /** An error about fields of a frame, each named in {@code errors}. */
    static Notice invalid(String details, List<FieldViolation> violations) {
        return notice(new NoticeBody("error", null, null, details, violations));
    }

    static MessageResponse messageResponse(List<StoredMessage> stored) {
        return new MessageResponse("message_response", stored.stream()
                .map(message -> new OutMessage(message.id(), new OutPayload(message.text(), "text/plain"),
                        message.from(), message.startTime() == null && message.endTime() == null ? null
                                : new OutDuration(message.startTime(), message.endTime())))
                .toList());
    }

    static TrackerResponse trackerResponse(boolean isFinal, long sequenceNumber, List<TrackerResult> trackers) {
        return new TrackerResponse("tracker_response", isFinal, sequenceNumber, trackers);
    }

    private static Notice notice(NoticeBody body) {
        return new Notice("message", body);
    }
}
