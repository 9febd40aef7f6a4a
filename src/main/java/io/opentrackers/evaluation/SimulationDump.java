package io.opentrackers.evaluation;

import io.opentrackers.matching.Aggregation;
import io.opentrackers.matching.EmbeddedMessages;
import io.opentrackers.matching.LabelledExample;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code simulate --dump DIR}: what a decision with examples sees in each round (the vectors of the phrases, of the
 * history sentences and of the scored spans; the labels; the literal hits; the thresholds; each round's labelled
 * history rows per tracker), so that decision rules can be studied offline (e.g. with numpy). Vectors are written
 * as {@link Dump} writes them; {@code meta.json} says what each row is.
 */
final class SimulationDump {

    private final Path dir;
    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final List<List<List<int[]>>> rounds = new ArrayList<>();
    private final List<List<List<String>>> predictions = new ArrayList<>();

    SimulationDump(Path dir) {
        this.dir = dir;
    }

    void start(List<TrackerDefinition> trackers, double[] thresholds, MatchingPolicy policy, float[][] phraseVectors,
            List<SimulateCommand.Labelled> history, float[][] historyVectors, EmbeddedMessages test,
            Map<String, Set<String>> testLabels, VocabularyIndex index) {
        try {
            Files.createDirectories(dir);
            meta.put("trackers", trackers.stream().map(TrackerDefinition::id).toList());
            meta.put("phraseCounts", trackers.stream().map(t -> t.vocabulary().size()).toList());
            meta.put("thresholds", thresholds);
            meta.put("policy", policy.toString());
            meta.put("historyLabels", history.stream().map(l -> List.copyOf(l.labels())).toList());
            meta.put("historyTexts", history.stream().map(l -> l.message().text()).toList());
            meta.put("messages", test.messages().stream().map(m -> m.id()).toList());
            meta.put("texts", test.messages().stream().map(m -> m.text()).toList());
            List<Integer> spanCounts = new ArrayList<>();
            for (int m = 0; m < test.messages().size(); m++) {
                spanCounts.add(test.spans().get(m).size());
            }
            meta.put("spanCounts", spanCounts);
            meta.put("labels", test.messages().stream().map(m -> List.copyOf(testLabels.get(m.id()))).toList());
            // literal occurrences always fire and score 1.0; a threshold of 1 leaves only them (and exact copies)
            List<List<String>> literal = new ArrayList<>();
            for (TrackerHit hit : TrackerMatcher.match(index, test, new MatchingPolicy(Aggregation.MAX, 1.0, 0, 0))) {
                if (hit.offset() >= 0) {
                    literal.add(List.of(hit.messageId(), hit.trackerId()));
                }
            }
            meta.put("literal", literal);
            Dump.floats(dir.resolve("phrases.f32"), phraseVectors);
            Dump.floats(dir.resolve("history.f32"), historyVectors);
            Dump.floats(dir.resolve("spans.f32"), test.vectors());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Per tracker, the history rows labelled so far with their labels ([row, 1 or 0]). */
    void round(List<List<Integer>> labelledRows, List<List<LabelledExample>> examples) {
        List<List<int[]>> round = new ArrayList<>();
        for (int t = 0; t < labelledRows.size(); t++) {
            List<int[]> rows = new ArrayList<>();
            for (int i = 0; i < labelledRows.get(t).size(); i++) {
                rows.add(new int[] {labelledRows.get(t).get(i), examples.get(t).get(i).match() ? 1 : 0});
            }
            round.add(rows);
        }
        rounds.add(round);
    }

    /** What the round's decision fired on the scored messages ([message id, tracker id]). */
    void predicted(List<TrackerHit> hits) {
        predictions.add(hits.stream().map(h -> List.of(h.messageId(), h.trackerId())).distinct().toList());
    }

    void write() throws IOException {
        meta.put("rounds", rounds);
        meta.put("predictions", predictions);
        JsonMapper.builder().build().writeValue(dir.resolve("meta.json").toFile(), meta);
    }
}
