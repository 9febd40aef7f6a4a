package io.opentrackers.evaluation;

import io.opentrackers.matching.TrackerDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code calibrate}: builds a calibration set from a data set's TRAIN split, so that matching policies are chosen
 * without looking at test items. The trackers keep their vocabularies (themselves train utterances); the messages
 * are other train utterances of each intent, and a seeded choice of intents is dropped from the trackers so that
 * their utterances become out of scope, as in Banking77's {@code oos-variant}. The output folder is in the
 * ../shared/data format, ready for {@code evaluate --sweep}.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A calibration set (../shared/data's format) from a TRAIN split, for evaluate --sweep.")
public final class ValidationSplitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRAIN.csv",
            description = "train utterances with a header and the columns text,category (Banking77's raw/train.csv)")
    Path trainCsv;

    @Parameters(index = "1", paramLabel = "TRACKERS_FOLDER",
            description = "folder with trackers.json and, if present, trackers-5.json")
    Path trackersFolder;

    @Parameters(index = "2", paramLabel = "OUT_FOLDER", description = "where the calibration set is written")
    Path out;

    @Option(names = "--per-intent", defaultValue = "20", paramLabel = "N",
            description = "messages per intent, at most (default: ${DEFAULT-VALUE})")
    int perIntent;

    @Option(names = "--held-out", defaultValue = "15", paramLabel = "N",
            description = "intents dropped from the trackers, whose messages become out of scope (default: ${DEFAULT-VALUE})")
    int heldOutCount;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "N",
            description = "seed of the held-out choice and of the message sample (default: ${DEFAULT-VALUE})")
    long seed;

    ValidationSplitCommand() {
    }

    /** The {@code exec:java} entry point of the source tree; the jar's is {@code calibrate}. */
    public static void main(String[] args) {
        OfflineCommands.runAlone(new ValidationSplitCommand(), args);
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(trainCsv)) {
            throw new ParameterException(spec.commandLine(), "TRAIN.csv " + trainCsv + " is not a file");
        }
        if (!Files.isDirectory(trackersFolder)) {
            throw new ParameterException(spec.commandLine(), "TRACKERS_FOLDER " + trackersFolder
                    + " is not a directory");
        }
        if (perIntent < 1 || heldOutCount < 0) {
            throw new ParameterException(spec.commandLine(), "--per-intent must be at least 1 and --held-out at"
                    + " least 0");
        }
        JsonMapper json = JsonMapper.builder().build();
        // both tracker files are checked before anything is written: the split is meant for evaluate, which
        // would refuse them
        List<TrackerDefinition> trackers = DataSetReader.trackers(trackersFolder.resolve("trackers.json"));
        Path fivePhrases = trackersFolder.resolve("trackers-5.json");
        if (Files.exists(fivePhrases)) {
            DataSetReader.trackers(fivePhrases);
        }
        Set<String> vocabulary = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (TrackerDefinition tracker : trackers) {
            names.add(tracker.name());
            tracker.vocabulary().forEach(phrase -> vocabulary.add(normalized(phrase)));
        }
        Collections.sort(names);
        Random random = new Random(seed);
        List<String> shuffledNames = new ArrayList<>(names);
        Collections.shuffle(shuffledNames, random);
        Set<String> heldOut = new HashSet<>(shuffledNames.subList(0, Math.min(heldOutCount, names.size())));

        Map<String, List<String>> utterances = new LinkedHashMap<>();
        for (List<String> row : readCsv(trainCsv)) {
            // a phrase of some vocabulary would match itself literally and say nothing about meaning
            if (row.size() >= 2 && names.contains(row.get(1)) && !vocabulary.contains(normalized(row.get(0)))) {
                utterances.computeIfAbsent(row.get(1), name -> new ArrayList<>()).add(row.get(0));
            }
        }
        Files.createDirectories(out);
        StringBuilder messages = new StringBuilder();
        int count = 0;
        int outOfScope = 0;
        for (String name : names) {
            List<String> texts = new ArrayList<>(utterances.getOrDefault(name, List.of()));
            Collections.shuffle(texts, random);
            for (String text : texts.subList(0, Math.min(perIntent, texts.size()))) {
                ObjectNode message = json.createObjectNode();
                message.put("id", String.format(Locale.ROOT, "train-%05d", count++));
                message.put("text", text);
                ArrayNode labels = message.putArray("labels");
                if (heldOut.contains(name)) {
                    outOfScope++;
                } else {
                    labels.add(name);
                }
                messages.append(json.writeValueAsString(message)).append('\n');
            }
        }
        Files.writeString(out.resolve("messages.jsonl"), messages);
        for (String file : List.of("trackers.json", "trackers-5.json")) {
            Path source = trackersFolder.resolve(file);
            if (Files.exists(source)) {
                ArrayNode kept = json.createArrayNode();
                for (JsonNode tracker : json.readTree(source.toFile())) {
                    if (!heldOut.contains(tracker.get("name").asString())) {
                        kept.add(tracker);
                    }
                }
                json.writerWithDefaultPrettyPrinter().writeValue(out.resolve(file).toFile(), kept);
            }
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s: %d trackers (%d held out), %d messages, %d out of scope%n", out, names.size() - heldOut.size(),
                heldOut.size(), count, outOfScope);
        return 0;
    }

    /** Lower case, letters and digits only, single spaces: how a cleaned vocabulary phrase compares to raw text. */
    static String normalized(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").trim();
    }

    /** RFC 4180 rows (quoted fields may hold commas, doubled quotes and line breaks), header skipped. */
    static List<List<String>> readCsv(Path file) throws IOException {
        String content = DataSetReader.text(file);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < content.length() && content.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows.isEmpty() ? rows : rows.subList(1, rows.size());
    }
}
