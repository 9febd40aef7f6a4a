package io.opentrackers.streaming;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.Misspellings;
import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.tracker.TrackerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What clients send (api.md "Streaming API"). The official SDK adds fields we do not use (insightTypes,
 * speechRecognition settings, customVocabulary …), so unknown fields are ignored rather than refused (the streaming
 * mapper does not fail on them), except a typo of a field read here ({@code "speakerroles"}), which the frame's error
 * names with the one meant, and a tracker setting out of {@code config.trackers} ({@link #misplacedSettings}). Messages
 * have the shape of every other entry point's ({@link IncomingMessage}).
 */
final class ClientFrames {

    /** The settings of {@code config.trackers}, which a start request that puts them elsewhere means. */
    private static final List<String> TRACKER_SETTINGS = List.of("enableAllTrackers", "interimResults");

    private ClientFrames() {
    }

    /**
     * The tracker settings a start request puts where they are not read: at its top level ({@code enableAllTrackers},
     * {@code interimResults}, where a job's body takes the first) or in {@code config} ({@code enableAllTrackers}).
     * Ignored as unknown members, they left a stream with other trackers, or without the interim results, than the
     * client asked for, and nothing said so. {@code config.interimResults} is not one of them: Symbl's JS SDK moves it
     * to {@code config.speechRecognition}, as the speech recognition's setting it is there.
     */
    static List<FieldViolation> misplacedSettings(JsonNode startRequest) {
        List<FieldViolation> misplaced = new ArrayList<>();
        for (String setting : TRACKER_SETTINGS) {
            if (startRequest.has(setting)) {
                misplaced.add(misplaced(setting, setting));
            }
        }
        JsonNode config = startRequest.get("config");
        if (config != null && config.isObject() && config.has("enableAllTrackers")) {
            misplaced.add(misplaced("config.enableAllTrackers", "enableAllTrackers"));
        }
        return misplaced;
    }

    private static FieldViolation misplaced(String field, String setting) {
        return FieldViolation.of(field, Misspellings.reason("read here", "config.trackers." + setting));
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
