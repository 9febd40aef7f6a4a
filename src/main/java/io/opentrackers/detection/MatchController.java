package io.opentrackers.detection;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.PayloadTooLargeException;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerResultsView;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/match}: tracker hits for messages, answered at once and stored nowhere; also how a user tries
 * a tracker before saving it (send it inline).
 */
@RestController
class MatchController {

    record Payload(String content, String contentType) {
    }

    record MatchMessage(String id, Payload payload, Speaker from) {
    }

    record MatchRequest(List<MatchMessage> messages, List<TrackerReference> trackers, Boolean enableAllTrackers) {
    }

    private final TrackerCatalog catalog;
    private final TrackerDetector detector;
    private final int maxMessages;

    MatchController(TrackerCatalog catalog, TrackerDetector detector, MatchingProperties properties) {
        this.catalog = catalog;
        this.detector = detector;
        this.maxMessages = properties.maxMessages();
    }

    @PostMapping("/v1/match")
    List<TrackerResult> match(AccountId account, @RequestBody MatchRequest request) {
        List<MessageText> messages = messages(request.messages());
        List<TrackerReference> requested = request.trackers() == null ? List.of() : request.trackers();
        // as in the async API: with neither trackers nor enableAllTrackers, all the account's trackers apply
        boolean all = request.enableAllTrackers() != null ? request.enableAllTrackers() : request.trackers() == null;
        List<TrackerDefinition> trackers = catalog.resolve(account, requested, all);
        Map<String, String> texts = new HashMap<>();
        Map<String, Speaker> speakers = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            texts.put(messages.get(i).id(), messages.get(i).text());
            Speaker from = request.messages().get(i).from();
            if (from != null) {
                speakers.put(messages.get(i).id(), from);
            }
        }
        return TrackerResultsView.group(detector.detect(trackers, messages), texts, speakers);
    }

    private List<MessageText> messages(List<MatchMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new InvalidInputException("messages", "at least one message is required");
        }
        if (messages.size() > maxMessages) {
            throw new PayloadTooLargeException("messages: " + messages.size() + " messages in one call, at most "
                    + maxMessages + " are accepted; split the request or use POST /v1/process/text");
        }
        List<FieldViolation> violations = new ArrayList<>();
        List<MessageText> texts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            MatchMessage message = messages.get(i);
            String field = "messages[" + i + "]";
            if (message == null || message.payload() == null || message.payload().content() == null
                    || message.payload().content().isBlank()) {
                violations.add(FieldViolation.of(field + ".payload.content", "required, must not be blank"));
                continue;
            }
            String id = message.id() != null ? message.id() : UUID.randomUUID().toString();
            if (!ids.add(id)) {
                violations.add(FieldViolation.of(field + ".id", "'" + id + "' is used by an earlier message"));
            }
            texts.add(new MessageText(id, message.payload().content()));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return texts;
    }
}
