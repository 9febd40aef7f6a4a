package io.opentrackers.evaluation;

import io.opentrackers.matching.Aggregation;
import io.opentrackers.matching.EmbeddedMessages;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code evaluate --dump DIR}: the embedded phrases and spans of a data set with its labels and literal hits, so that
 * policies can be studied offline (e.g. with numpy) without embedding again. {@code phrases.f32} and {@code spans.f32}
 * are row-major float32, little-endian; {@code meta.json} says their shapes and what each row is. {@code wholes.f32}
 * has one row per message: the vector of the whole message its spans are read in (the span's own when it is
 * the whole message).
 */
final class Dump {

    private Dump() {
    }

    static void write(Path dir, DataSet data, float[][] all, VocabularyIndex index,
            EmbeddedMessages embedded) throws IOException {
        Files.createDirectories(dir);
        List<float[]> phraseVectors = new ArrayList<>();
        List<Map<String, String>> phrases = new ArrayList<>();
        int dimension = embedded.vectors().length > 0 ? embedded.vectors()[0].length : 0;
        int p = 0;
        for (var tracker : data.trackers()) {
            for (String phrase : tracker.vocabulary()) {
                phrases.add(Map.of("tracker", tracker.name(), "phrase", phrase));
                phraseVectors.add(all[p++]);
            }
        }
        // per message, its index in the span rows (spans of one message are consecutive)
        int[] first = embedded.firstSpan();
        List<Integer> spanCounts = new ArrayList<>();
        for (int m = 0; m < first.length; m++) {
            spanCounts.add((m + 1 < first.length ? first[m + 1] : embedded.vectors().length) - first[m]);
        }
        // literal occurrences always fire and score 1.0; a threshold of 1 leaves only them (and exact copies)
        List<List<String>> literal = new ArrayList<>();
        for (TrackerHit hit : TrackerMatcher.match(index, embedded,
                new MatchingPolicy(Aggregation.MAX, 1.0, 0, 0))) {
            if (hit.offset() >= 0) {
                literal.add(List.of(hit.messageId(), hit.trackerId()));
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dimension", dimension);
        meta.put("phrases", phrases);
        meta.put("messages", embedded.messages().stream().map(m -> m.id()).toList());
        meta.put("texts", embedded.messages().stream().map(m -> m.text()).toList());
        meta.put("spanCounts", spanCounts);
        meta.put("labels", data.labels());
        meta.put("literal", literal);
        JsonMapper.builder().build().writeValue(dir.resolve("meta.json").toFile(), meta);
        floats(dir.resolve("phrases.f32"), phraseVectors.toArray(new float[0][]));
        floats(dir.resolve("spans.f32"), embedded.vectors());
        // per message, the vector of the whole message its spans are read in; its one span's where it has none
        float[][] wholes = new float[first.length][];
        for (int m = 0; m < first.length; m++) {
            wholes[m] = embedded.wholes()[m] != null ? embedded.wholes()[m]
                    : spanCounts.get(m) > 0 ? embedded.vectors()[first[m]] : new float[dimension];
        }
        floats(dir.resolve("wholes.f32"), wholes);
    }

    static void floats(Path file, float[][] rows) throws IOException {
        try (OutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (float[] row : rows) {
                ByteBuffer buffer = ByteBuffer.allocate(row.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asFloatBuffer().put(row);
                out.write(buffer.array());
            }
        }
    }
}
