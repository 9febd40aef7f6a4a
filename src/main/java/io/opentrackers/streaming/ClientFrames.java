package io.opentrackers.streaming;

import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.tracker.TrackerReference;
import java.util.List;
import java.util.Map;

/**
 * What clients send (api.md "Streaming API"). The official SDK adds fields we do not use (insightTypes,
 * speechRecognition settings, customVocabulary …), so unknown fields are ignored rather than refused (the streaming
 * mapper does not fail on them), except a typo of a field read here ({@code "speakerroles"}), which the frame's error
 * names with the one meant. Messages
 * have the shape of every other entry point's ({@link IncomingMessage}).
 */
final class ClientFrames {

    private ClientFrames() {
    }

    record StartRequest(List<TrackerReference> trackers, Config config, Speaker speaker,
                        Map<String, String> speakerRoles) {

        Boolean enableAllTrackers() {
            return config == null || config.trackers() == null ? null : config.trackers().enableAllTrackers();
        }

        boolean interimResults() {
            return config != null && config.trackers() != null
                    && Boolean.TRUE.equals(config.trackers().interimResults());
        }

        String meetingTitle() {
            return config == null ? null : config.meetingTitle();
        }
    }

    record Config(TrackersConfig trackers, String meetingTitle) {
    }

    record TrackersConfig(Boolean interimResults, Boolean enableAllTrackers) {
    }

    record MessageRequest(List<IncomingMessage> messages) {
    }
}
