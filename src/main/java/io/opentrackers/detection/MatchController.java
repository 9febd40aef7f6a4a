package io.opentrackers.detection;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.PayloadTooLargeException;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.conversation.MessageRules;
import io.opentrackers.conversation.NewMessage;
import io.opentrackers.conversation.Speaker;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.ConversationTimeline;
import io.opentrackers.matching.Detection;
import io.opentrackers.matching.Explanation;
import io.opentrackers.matching.MessageContext;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerExplainer;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerResultsView;
import io.opentrackers.matching.TrackerResultsView.TrackerResult;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerReference;
import io.opentrackers.tracker.TrackerSelection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/match}: tracker hits for messages, answered at once and stored nowhere; also how a user tries
 * a tracker before saving it (send it inline).
 */
@RestController
@Tag(name = "Matching", description = "Tracker hits for messages, answered at once and stored nowhere")
class MatchController {

    /**
     * @param speakerRoles role by speaker {@code userId} or {@code name}, for messages without {@code from.role}
     * @param explain      answer {@link Explained} instead of the plain tracker array
     */
    record MatchRequest(@Schema(requiredMode = REQUIRED) List<IncomingMessage> messages,
                        // nullable: null is read as left out (all trackers), [] as none, as in ProcessTextRequest
                        @Schema(nullable = true) List<TrackerReference> trackers,
                        Boolean enableAllTrackers,
                        Map<String, String> speakerRoles, Boolean explain) {
    }

    /** The answer with {@code "explain": true}: the usual array, and why each message did or did not fire. */
    @Schema(name = "MatchExplained")
    record Explained(@Schema(requiredMode = REQUIRED) List<TrackerResult> trackers,
            @Schema(requiredMode = REQUIRED) List<Explanation> explanations) {
    }

    private final TrackerCatalog catalog;
    private final ConversationService conversations;
    private final TrackerDetector detector;
    private final TrackerExplainer explainer;
    private final int maxMessages;
    private final int maxCharacters;

    MatchController(TrackerCatalog catalog, ConversationService conversations, TrackerDetector detector,
            TrackerExplainer explainer, MatchingProperties properties) {
        this.catalog = catalog;
        this.conversations = conversations;
        this.detector = detector;
        this.explainer = explainer;
        this.maxMessages = properties.maxMessages();
        this.maxCharacters = properties.maxCharacters();
    }

    @PostMapping(path = "/v1/match", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "matchMessages",
            summary = "Find tracker hits in messages now, storing nothing; also how to try a tracker before "
            + "saving it (send it inline)")
    @ApiResponse(responseCode = "200", description = "The Conversation API's tracker array; `[]` when nothing matched. "
            + "With `\"explain\": true` an object: that array as `trackers`, and per message its best-scoring "
            + "trackers, those that fired and those named as `chosenInstead`, with score, threshold and the reason "
            + "they did or did not fire (docs/matching.md)",
            // the plain answer as TrackerResult[]: a named subclass of ArrayList was described as an object
            content = @Content(schema = @Schema(title = "MatchResponse", oneOf = {TrackerResult[].class, Explained.class}),
                    examples = {
                    @ExampleObject(name = "hits", value = """
                    [{"id": "5f6c2e0b-7a3d-3c1e-9b4a-0d8e2f6a1c57", "name": "Money",
                      "matches": [{"type": "vocabulary", "value": "I am short on cash",
                                   "messageRefs": [{"id": "m1", "text": "I ran out of budget", "offset": -1,
                                                    "score": 0.8412, "start": 0, "end": 19, "from": {"name": "Ann"}}],
                                   "insightRefs": []}]}]"""),
                    @ExampleObject(name = "explained", value = """
                    {"trackers": [{"id": "5f6c2e0b-7a3d-3c1e-9b4a-0d8e2f6a1c57", "name": "Money",
                                   "matches": [{"type": "vocabulary", "value": "I am short on cash",
                                                "messageRefs": [{"id": "m1", "text": "I ran out of budget", "offset": -1,
                                                                 "score": 0.8412, "start": 0, "end": 19,
                                                                 "from": {"name": "Ann", "role": "customer"}}],
                                                "insightRefs": []}]}],
                     "explanations": [{"messageId": "m1", "candidates": [
                        {"trackerId": "5f6c2e0b-7a3d-3c1e-9b4a-0d8e2f6a1c57", "name": "Money",
                         "phrase": "I am short on cash", "score": 0.8412, "threshold": 0.7731, "fired": true,
                         "reason": "above-threshold"},
                        {"trackerId": "7e2a9c41-5b3d-3f8e-a1c2-4d6f8b0e2a13", "name": "Budget",
                         "phrase": "we cannot afford it", "score": 0.7410, "threshold": 0.6448, "fired": false,
                         "reason": "not-chosen", "chosenInstead": {"trackerId": "5f6c2e0b-7a3d-3c1e-9b4a-0d8e2f6a1c57",
                                                                   "name": "Money"}},
                        {"trackerId": "0b1d7c55-3f0e-3a5e-8d7c-1f2e3a4b5c6d", "name": "Closing",
                         "phrase": "have a great day", "score": 0.6120, "threshold": 0.77, "fired": false,
                         "reason": "speaker"}]}]}""")}))
    @ApiResponse(responseCode = "413", description = "More messages than trackers.matching.max-messages (1000), or "
            + "a body over 1 MB", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "payload-too-large", value = """
                            {"type": "https://opentrackers.io/problems/payload-too-large", "title": "Content Too Large",
                             "status": 413, "instance": "/v1/match",
                             "detail": "messages: 1200 messages in one call, at most 1000 are accepted; split the request or use POST /v1/process/text",
                             "message": "messages: 1200 messages in one call, at most 1000 are accepted; split the request or use POST /v1/process/text"}""")))
    Object match(AccountId account,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "Messages in the Async API's shape "
                    + "(`id` optional, echoed in `messageRefs`) and the trackers to apply, chosen as in every entry "
                    + "point", content = @Content(schema = @Schema(implementation = MatchRequest.class),
                    examples = @ExampleObject(name = "inline tracker", value = """
                            {"messages": [{"id": "m1", "payload": {"content": "I ran out of budget"}, "from": {"name": "Ann"}}],
                             "trackers": [{"name": "Money", "vocabulary": ["I don't have any money", "my account is empty",
                                           "I can't afford it", "I am short on cash", "my card got declined"],
                                           "speaker": "customer"}],
                             "speakerRoles": {"Ann": "customer"},
                             "enableAllTrackers": false, "explain": true}""")))
            @RequestBody MatchRequest request) {
        if (request.messages() != null && request.messages().size() > maxMessages) {
            throw new PayloadTooLargeException(FieldViolation.of("messages", request.messages().size()
                    + " messages in one call, at most " + maxMessages
                    + " are accepted; split the request or use POST /v1/process/text"));
        }
        long characters = request.messages() == null ? 0 : request.messages().stream()
                .filter(m -> m != null && m.payload() != null && m.payload().content() != null)
                .mapToLong(m -> m.payload().content().length()).sum();
        if (characters > maxCharacters) {
            throw new PayloadTooLargeException(FieldViolation.of("messages", characters
                    + " characters of content in one call, at most " + maxCharacters
                    + " are accepted; split the request or use POST /v1/process/text"));
        }
        List<FieldViolation> violations = new ArrayList<>();
        List<NewMessage> checked = MessageRules.check(request.messages(), violations);
        MessageRules.checkSpeakerRoles("speakerRoles", request.speakerRoles(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        checked = MessageRules.applyRoles(checked, request.speakerRoles());
        List<TrackerDefinition> trackers = catalog.resolve(account,
                new TrackerSelection(request.trackers(), request.enableAllTrackers()));
        // the request's messages are the whole conversation: windows are decided on them alone
        List<MessageContext> contexts = ConversationTimeline.contexts(checked.stream()
                .map(m -> new ConversationTimeline.Turn(m.from() == null ? null : m.from().role(), m.startTime(),
                        m.endTime())).toList(), true);
        Map<String, String> texts = new HashMap<>();
        Map<String, Speaker> speakers = new HashMap<>();
        List<String> ids = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) {
            String id = request.messages().get(i).id() != null ? request.messages().get(i).id()
                    : UUID.randomUUID().toString();
            ids.add(id);
            texts.put(id, checked.get(i).text());
            if (checked.get(i).from() != null) {
                speakers.put(id, checked.get(i).from());
            }
        }
        // each message is decided sentence by sentence, in its whole text, exactly as a job or a stream stores and
        // decides it: the same message gets the same hits and scores through every entry point
        List<StoredMessage> sentences = conversations.sentences(checked);
        List<MessageText> messages = new ArrayList<>(sentences.size());
        Map<String, StoredMessage> sentenceById = new HashMap<>();
        for (StoredMessage sentence : sentences) {
            int i = sentence.sourceIndex();
            messages.add(new MessageText(sentence.id(), sentence.text(), contexts.get(i), checked.get(i).text()));
            sentenceById.put(sentence.id(), sentence);
        }
        if (Boolean.TRUE.equals(request.explain())) {
            Detection detection = explainer.explain(account, trackers, messages);
            return new Explained(TrackerResultsView.group(inMessages(detection.hits(), sentenceById, ids), texts,
                    speakers), explanations(detection.explanations(), sentenceById, ids));
        }
        return TrackerResultsView.group(inMessages(detector.detect(account, trackers, messages), sentenceById, ids),
                texts, speakers);
    }

    /** The sentences' hits put back on the messages sent: their ids, positions in the whole content. */
    private static List<TrackerHit> inMessages(List<TrackerHit> hits, Map<String, StoredMessage> sentences,
            List<String> ids) {
        List<TrackerHit> placed = new ArrayList<>(hits.size());
        for (TrackerHit hit : hits) {
            StoredMessage sentence = sentences.get(hit.messageId());
            int shift = sentence.charStart();
            placed.add(new TrackerHit(ids.get(sentence.sourceIndex()), hit.trackerId(), hit.trackerName(),
                    hit.phrase(), hit.offset() < 0 ? hit.offset() : hit.offset() + shift, hit.score(),
                    hit.start() + shift, hit.end() + shift));
        }
        return placed;
    }

    /** One explanation per message sent, from those of its sentences (in order: a message's sentences are adjacent). */
    private static List<Explanation> explanations(List<Explanation> bySentence, Map<String, StoredMessage> sentences,
            List<String> ids) {
        List<Explanation> explanations = new ArrayList<>(ids.size());
        List<Explanation> ofMessage = new ArrayList<>();
        int message = -1;
        for (Explanation explanation : bySentence) {
            int source = sentences.get(explanation.messageId()).sourceIndex();
            if (source != message && message >= 0) {
                explanations.add(Explanation.ofSentences(ids.get(message), ofMessage));
                ofMessage.clear();
            }
            message = source;
            ofMessage.add(explanation);
        }
        if (message >= 0) {
            explanations.add(Explanation.ofSentences(ids.get(message), ofMessage));
        }
        return explanations;
    }
}
