package io.opentrackers.streaming;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.tracker.TrackerReference;
import java.time.Instant;
import java.util.List;

/**
 * What clients send (api.md "Streaming API"). The official SDK adds fields we do not use (insightTypes,
 * speechRecognition settings, customVocabulary …), so unknown fields are ignored rather than refused.
 */
final class ClientFrames {

    private ClientFrames() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StartRequest(List<TrackerReference> trackers, Config config, Speaker speaker) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Config(TrackersConfig trackers, String meetingTitle) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TrackersConfig(Boolean interimResults, Boolean enableAllTrackers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MessageRequest(List<Message> messages) {
    }

    /** A transcript piece; {@code isFinal} absent means final, as in the async API where every message is. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Message(Payload payload, Speaker from, Boolean isFinal, Duration duration) {

        boolean finalText() {
            return isFinal == null || isFinal;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Payload(String content, String contentType) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Duration(Instant startTime, Instant endTime) {
    }
}
