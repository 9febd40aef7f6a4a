package io.opentrackers.detection;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.PayloadTooLargeException;
import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.conversation.MessageRules;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerResultsView;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerReference;
import io.opentrackers.tracker.TrackerSelection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    record MatchRequest(List<IncomingMessage> messages, List<TrackerReference> trackers, Boolean enableAllTrackers) {
    }

    private final TrackerCatalog catalog;
    private final TrackerDetector detector;
    private final int maxMessages;
    private final int maxCharacters;

    MatchController(TrackerCatalog catalog, TrackerDetector detector, MatchingProperties properties) {
        this.catalog = catalog;
        this.detector = detector;
        this.maxMessages = properties.maxMessages();
        this.maxCharacters = properties.maxCharacters();
    }

    @PostMapping("/v1/match")
    List<TrackerResult> match(AccountId account, @RequestBody MatchRequest request) {
        if (request.messages() != null && request.messages().size() > maxMessages) {
            throw new PayloadTooLargeException("messages: " + request.messages().size() + " messages in one call, at "
                    + "most " + maxMessages + " are accepted; split the request or use POST /v1/process/text");
        }
        long characters = request.messages() == null ? 0 : request.messages().stream()
                .filter(m -> m != null && m.payload() != null && m.payload().content() != null)
                .mapToLong(m -> m.payload().content().length()).sum();
        if (characters > maxCharacters) {
            throw new PayloadTooLargeException("messages: " + characters + " characters of content in one call, at "
                    + "most " + maxCharacters + " are accepted; split the request or use POST /v1/process/text");
        }
        List<NewMessage> checked = MessageRules.check(request.messages());
        List<TrackerDefinition> trackers = catalog.resolve(account,
                new TrackerSelection(request.trackers(), request.enableAllTrackers()));
        List<MessageText> messages = new ArrayList<>(checked.size());
        Map<String, String> texts = new HashMap<>();
        Map<String, Speaker> speakers = new HashMap<>();
        for (int i = 0; i < checked.size(); i++) {
            String id = request.messages().get(i).id() != null ? request.messages().get(i).id()
                    : UUID.randomUUID().toString();
            messages.add(new MessageText(id, checked.get(i).text()));
            texts.put(id, checked.get(i).text());
            if (checked.get(i).from() != null) {
                speakers.put(id, checked.get(i).from());
            }
        }
        return TrackerResultsView.group(detector.detect(trackers, messages), texts, speakers);
    }
}
