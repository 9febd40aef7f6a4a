package io.opentrackers.evaluation;

import io.opentrackers.matching.MessageText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code combine}: one account's data set from several, as a large account would hold them: every set's trackers
 * in one tracker set, every set's scored messages in one utterance set, each message with its own set's labels (so a
 * message that fires another set's tracker is a false hit). This is how the matcher is measured on an account of
 * more trackers than any single data set has (docs/matching.md).
 */
@Command(name = "combine", mixinStandardHelpOptions = true, sortOptions = false,
        description = "One data set (../shared/data's format) holding the trackers and scored messages of several.")
public final class CombineCommand implements Callable<Integer> {

    /** The tracker files a data set may have; each is combined when every set has it. */
    private static final List<String> TRACKER_FILES = List.of("trackers.json", "trackers-5.json");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OUT_FOLDER", description = "where the combined set is written")
    Path out;

    @Parameters(index = "1..*", arity = "2..*", paramLabel = "SET",
            description = "a data set folder, or FOLDER:SPEAKER to keep only that speaker's messages of a "
                    + "conversation set (e.g. ../shared/data/sgd:customer)")
    List<String> sets;

    @Override
    public Integer call() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<Source> sources = sets.stream().map(this::source).toList();
        // every set is read and checked before anything is written (InvalidDataSetException names the file)
        List<DataSet> loaded = sources.stream()
                .map(source -> DataSet.load(source.folder(), TRACKER_FILES.get(0), source.speaker())).toList();
        for (String file : TRACKER_FILES.subList(1, TRACKER_FILES.size())) {
            for (Source source : sources) {
                if (Files.exists(source.folder().resolve(file))) {
                    DataSetReader.trackers(source.folder().resolve(file));
                }
            }
        }
        Files.createDirectories(out);
        int trackers = 0;
        for (String file : TRACKER_FILES) {
            if (sources.stream().allMatch(s -> Files.exists(s.folder().resolve(file)))) {
                ArrayNode combined = json.createArrayNode();
                Set<String> names = new HashSet<>();
                for (Source source : sources) {
                    for (JsonNode tracker : json.readTree(source.folder().resolve(file).toFile())) {
                        if (!names.add(tracker.get("name").asString())) {
                            throw new ParameterException(spec.commandLine(), "two sets have a tracker named '"
                                    + tracker.get("name").asString() + "' (in " + source.folder().resolve(file) + ")");
                        }
                        combined.add(tracker);
                    }
                }
                json.writeValue(out.resolve(file).toFile(), combined);
                if (file.equals(TRACKER_FILES.get(0))) {
                    trackers = combined.size();
                }
            }
        }
        Set<String> ids = new HashSet<>();
        int messages = 0;
        int outOfScope = 0;
        try (BufferedWriter writer = Files.newBufferedWriter(out.resolve("messages.jsonl"))) {
            for (int s = 0; s < sources.size(); s++) {
                Source source = sources.get(s);
                DataSet data = loaded.get(s);
                for (MessageText message : data.messages()) {
                    Set<String> labels = data.labels().get(message.id());
                    ObjectNode line = json.createObjectNode();
                    // message ids are unique within a set only
                    String id = source.name() + "/" + message.id();
                    if (!ids.add(id)) {
                        throw new ParameterException(spec.commandLine(), "two messages would have the id '" + id
                                + "': combine sets whose folders have different names");
                    }
                    line.put("id", id);
                    line.put("text", message.text());
                    ArrayNode labelArray = line.putArray("labels");
                    labels.stream().sorted().forEach(labelArray::add);
                    writer.write(json.writeValueAsString(line));
                    writer.newLine();
                    messages++;
                    if (labels.isEmpty()) {
                        outOfScope++;
                    }
                }
            }
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d trackers, %d messages, %d out of scope%n", out,
                trackers, messages, outOfScope);
        return 0;
    }

    private record Source(Path folder, String speaker, String name) {
    }

    private Source source(String argument) {
        int colon = argument.lastIndexOf(':');
        boolean withSpeaker = colon > 0 && argument.indexOf('/', colon) < 0;
        Path folder = Path.of(withSpeaker ? argument.substring(0, colon) : argument);
        if (!Files.isDirectory(folder)) {
            throw new ParameterException(spec.commandLine(), folder + " is not a directory");
        }
        Path fileName = folder.toAbsolutePath().normalize().getFileName();
        return new Source(folder, withSpeaker ? argument.substring(colon + 1) : null,
                fileName != null ? fileName.toString() : "set");
    }

    public static void main(String[] args) {
        OfflineCommands.runAlone(new CombineCommand(), args);
    }
}
