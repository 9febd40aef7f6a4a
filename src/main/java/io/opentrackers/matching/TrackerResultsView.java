package io.opentrackers.matching;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups hits into the Conversation API's tracker array (api.md, "Results"): one item per tracker with at
 * least one hit, one {@code matches} entry per phrase, one {@code messageRefs} entry per message. Order follows
 * the order of the hits, which the detector emits in message order.
 */
public final class TrackerResultsView {

    private TrackerResultsView() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrackerResult(String id, String name, List<PhraseMatch> matches) {
    }

    public record PhraseMatch(String type, String value, List<MessageRef> messageRefs, List<Object> insightRefs) {
    }

    /** A message reference; {@code score}, {@code start}, {@code end} and {@code from} are our extensions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageRef(String id, String text, int offset, double score, int start, int end, Object from) {
    }

    /**
     * @param texts    message id to message text
     * @param speakers message id to speaker ({@code from} object), may be empty
     */
    public static List<TrackerResult> group(List<TrackerHit> hits, Map<String, String> texts,
            Map<String, ?> speakers) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, Map<String, List<MessageRef>>> byTracker = new LinkedHashMap<>();
        for (TrackerHit hit : hits) {
            names.putIfAbsent(hit.trackerId(), hit.trackerName());
            byTracker.computeIfAbsent(hit.trackerId(), id -> new LinkedHashMap<>())
                    .computeIfAbsent(hit.phrase(), phrase -> new ArrayList<>())
                    .add(new MessageRef(hit.messageId(), texts.get(hit.messageId()), hit.offset(),
                            Math.round(hit.score() * 10000) / 10000.0, hit.start(), hit.end(),
                            speakers.get(hit.messageId())));
        }
        List<TrackerResult> results = new ArrayList<>();
        byTracker.forEach((trackerId, phrases) -> {
            List<PhraseMatch> matches = new ArrayList<>();
            phrases.forEach((phrase, refs) -> matches.add(new PhraseMatch("vocabulary", phrase, refs, List.of())));
            results.add(new TrackerResult(trackerId, names.get(trackerId), matches));
        });
        return results;
    }
}
