package io.opentrackers.evaluation;

import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The (message, tracker) pairs an evaluation got wrong, for reading rather than counting: every hit the labels do
 * not hold (with the phrase, score and words that made it fire) and every labelled pair with no hit. The pairs
 * are exactly those {@link Scores} counts as false positives and false negatives.
 */
final class Mistakes {

    /**
     * One wrong pair. {@code kind} is {@code false-hit} (fired, not labelled) or {@code missed} (labelled, did
     * not fire); phrase, score and matched words are those of the hit's best phrase, null for a missed pair.
     */
    record Mistake(String kind, String messageId, String text, List<String> labels, String tracker, String phrase,
                   Double score, String matched) {
    }

    private Mistakes() {
    }

    static List<Mistake> of(List<MessageText> messages, Map<String, Set<String>> labels, List<TrackerHit> hits) {
        Map<String, Map<String, TrackerHit>> bestHit = new HashMap<>();
        for (TrackerHit hit : hits) {
            bestHit.computeIfAbsent(hit.messageId(), id -> new HashMap<>())
                    .merge(hit.trackerId(), hit, (a, b) -> b.score() > a.score() ? b : a);
        }
        List<Mistake> mistakes = new ArrayList<>();
        for (MessageText message : messages) {
            Set<String> gold = labels.getOrDefault(message.id(), Set.of());
            Map<String, TrackerHit> got = bestHit.getOrDefault(message.id(), Map.of());
            List<String> sortedGold = gold.stream().sorted().toList();
            got.values().stream()
                    .filter(hit -> !gold.contains(hit.trackerId()))
                    .sorted(Comparator.comparing(TrackerHit::trackerId))
                    .forEach(hit -> mistakes.add(new Mistake("false-hit", message.id(), message.text(), sortedGold,
                            hit.trackerId(), hit.phrase(), hit.score(),
                            message.text().substring(hit.start(), hit.end()))));
            for (String tracker : sortedGold) {
                if (!got.containsKey(tracker)) {
                    mistakes.add(new Mistake("missed", message.id(), message.text(), sortedGold, tracker, null,
                            null, null));
                }
            }
        }
        return mistakes;
    }
}
