package io.opentrackers.evaluation;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.JsonErrors;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.tracker.TrackerDefinitionCheck;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a data set in the ../shared/data format and checks it, listing every problem before anything is embedded:
 * a file missing or not UTF-8, a line that is no JSON object, a member missing or of the wrong type, a tracker the
 * Management API would refuse ({@link TrackerDefinitionCheck}), two trackers of one name or two messages of one id,
 * a label naming no tracker of the set, a conversation whose {@code labels} miss a message or name one it does not
 * have. Each of these used to end in a stack trace or, worse, in figures that were silently wrong: a label naming no
 * tracker counted as a missed hit, a message without a {@code labels} entry as one where no tracker should fire,
 * and two messages of one id were scored as one. Blank lines, a byte order mark and CRLF line ends are accepted.
 */
final class DataSetReader {

    static final String UTTERANCES = "messages.jsonl";
    static final String CONVERSATIONS = "conversations.jsonl";

    /** Problems kept to be listed; beyond these only their number is (a file broken on every line has millions). */
    private static final int KEPT_PROBLEMS = 1000;
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private final Path folder;
    private final JsonMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private final List<String> problems = new ArrayList<>();
    private int found;

    private final List<TrackerDefinition> trackers = new ArrayList<>();
    /** The trackers' names, or null when the trackers file could not be read (labels are then not checked). */
    private Set<String> trackerNames;
    private String trackersFile;
    private final List<MessageText> messages = new ArrayList<>();
    private final Map<String, Set<String>> labels = new LinkedHashMap<>();
    private final List<List<String>> conversations = new ArrayList<>();
    /** The line each message id was first seen on, to name both lines of a repeated id. */
    private final Map<String, Integer> idLines = new HashMap<>();
    /** Whether some message has the speaker of {@code --speaker}. */
    private boolean speakerFound;

    private DataSetReader(Path folder) {
        this.folder = folder;
    }

    /** The data set, or an {@link InvalidDataSetException} listing everything wrong with it. */
    static DataSet read(Path folder, String trackersFile, String speaker) {
        return new DataSetReader(folder).read(trackersFile, speaker);
    }

    /**
     * The trackers of one file, checked as a data set's are, for the commands that read a tracker file without
     * messages ({@code calibrate}, {@code combine}); an {@link InvalidDataSetException} lists its problems.
     */
    static List<TrackerDefinition> trackers(Path file) {
        DataSetReader reader = new DataSetReader(file.getParent());
        reader.trackersFile = String.valueOf(file.getFileName());
        reader.readTrackers(file);
        reader.failOnProblems();
        return List.copyOf(reader.trackers);
    }

    /**
     * The text of a UTF-8 file beside the data set (a CSV of history or train utterances), without its byte order
     * mark; an {@link InvalidDataSetException} names the first line that is not UTF-8, as for the data set's files.
     */
    static String text(Path file) {
        DataSetReader reader = new DataSetReader(file.getParent());
        String text = reader.readText(file);
        reader.failOnProblems();
        return text;
    }

    private DataSet read(String trackersFile, String speaker) {
        this.trackersFile = trackersFile;
        readTrackers(folder.resolve(trackersFile));
        Path utterances = folder.resolve(UTTERANCES);
        Path dialogues = folder.resolve(CONVERSATIONS);
        if (Files.exists(utterances)) {
            if (speaker != null) {
                // the utterances have no speaker: the option would be ignored and every message scored
                problem("--speaker " + speaker, "keeps one speaker's messages of " + CONVERSATIONS + ", but "
                        + folder + " is an utterance set (" + UTTERANCES + ", no speakers)");
            }
            readLines(utterances, (line, node) -> readUtterance(where(utterances, line), line, node));
        } else if (Files.exists(dialogues)) {
            Set<String> speakers = new TreeSet<>();
            readLines(dialogues, (line, node) -> readConversation(where(dialogues, line), line, node, speaker,
                    speakers));
            if (speaker != null && !speakerFound && !idLines.isEmpty()) {
                problem("--speaker " + speaker, "no message of " + dialogues + " has this speaker (its speakers: "
                        + (speakers.isEmpty() ? "none" : String.join(", ", speakers)) + ")");
            }
        } else {
            problem(folder.toString(), "has neither " + UTTERANCES + " nor " + CONVERSATIONS
                    + " (../shared/data/README.md, \"Common format\")");
        }
        failOnProblems();
        return new DataSet(List.copyOf(trackers), List.copyOf(messages), labels, List.copyOf(conversations));
    }

    private void readTrackers(Path file) {
        String text = readText(file);
        if (text == null) {
            return;
        }
        JsonNode array;
        try {
            array = json.readTree(text);
        } catch (JacksonException e) {
            problem(file.toString(), "is not JSON: " + JsonErrors.reason(e));
            return;
        }
        if (array == null || array.isMissingNode() || !array.isArray()) {
            problem(file.toString(), "must be a JSON array of trackers [{\"name\": ..., \"vocabulary\": [...]}], "
                    + (array == null || array.isMissingNode() ? "is empty" : "was " + JsonErrors.kind(array)));
            return;
        }
        if (array.isEmpty()) {
            problem(file.toString(), "has no tracker");
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        Map<String, Integer> firstOfForm = new HashMap<>();
        int before = found;
        for (int i = 0; i < array.size(); i++) {
            String where = file + ": trackers[" + i + "]";
            JsonNode node = array.get(i);
            if (!node.isObject()) {
                problem(where, "must be an object {\"name\": ..., \"vocabulary\": [...]}, was "
                        + JsonErrors.kind(node));
                continue;
            }
            String name = optionalString(node, "name", where);
            List<String> vocabulary = strings(node.get("vocabulary"), "vocabulary", where);
            if (name == null && node.has("name") || vocabulary == null && node.has("vocabulary")) {
                continue; // of the wrong type, reported above
            }
            String named = name == null ? where : where + " \"" + name + "\"";
            List<FieldViolation> violations = TrackerDefinitionCheck.violations(name, vocabulary);
            violations.forEach(violation -> problem(named, violation.describe()));
            if (name != null) {
                Integer first = firstOfForm.putIfAbsent(TrackerDefinitionCheck.nameForm(name), i);
                if (first != null) {
                    problem(named, "name: repeats trackers[" + first + "]; labels name trackers, so each name"
                            + " must be one tracker's (names are compared ignoring spacing and how accents are"
                            + " encoded, as the service compares them)");
                }
            }
            if (violations.isEmpty()) {
                trackers.add(new TrackerDefinition(name, name, vocabulary, null, 0));
                names.add(name);
            }
        }
        if (found == before) {
            trackerNames = names;
        }
    }

    private void readUtterance(String where, int line, JsonNode node) {
        if (!node.isObject()) {
            problem(where, "must be an object {\"id\": ..., \"text\": ..., \"labels\": [...]}, was "
                    + JsonErrors.kind(node));
            return;
        }
        String id = id(node, "id", where, line);
        String text = requiredString(node, "text", where);
        Set<String> names = labels(node.get("labels"), "labels", where);
        if (id != null && text != null && names != null) {
            messages.add(new MessageText(id, text));
            labels.put(id, names);
        }
    }

    private void readConversation(String where, int line, JsonNode node, String speaker, Set<String> speakers) {
        if (!node.isObject()) {
            problem(where, "must be an object {\"id\": ..., \"messages\": [...], \"labels\": {...}}, was "
                    + JsonErrors.kind(node));
            return;
        }
        JsonNode turns = node.get("messages");
        if (turns == null || !turns.isArray()) {
            problem(where, "messages: " + (turns == null ? "is required" : "must be an array of messages, was "
                    + JsonErrors.kind(turns)));
            return;
        }
        JsonNode labelled = node.get("labels");
        if (labelled != null && !labelled.isObject()) {
            problem(where, "labels: must be an object {\"<message id>\": [\"tracker name\", ...]}, was "
                    + JsonErrors.kind(labelled));
            return;
        }
        if (labelled == null) {
            problem(where, "labels: is required: an object with an entry for every message ([] when no tracker"
                    + " should fire on it)");
            return;
        }
        List<String> ids = new ArrayList<>();
        Set<String> idSet = new HashSet<>();
        List<MessageText> kept = new ArrayList<>();
        Map<String, Set<String>> keptLabels = new LinkedHashMap<>();
        for (int i = 0; i < turns.size(); i++) {
            String field = "messages[" + i + "]";
            JsonNode turn = turns.get(i);
            if (!turn.isObject()) {
                problem(where, field + ": must be an object {\"id\": ..., \"speaker\": ..., \"text\": ...}, was "
                        + JsonErrors.kind(turn));
                continue;
            }
            String id = id(turn, field + ".id", where, line);
            String text = requiredString(turn, field + ".text", where);
            String said = optionalString(turn, field + ".speaker", where);
            if (said != null) {
                speakers.add(said);
            }
            if (id == null) {
                continue;
            }
            ids.add(id);
            idSet.add(id);
            speakerFound |= speaker != null && speaker.equals(said);
            JsonNode entry = labelled.get(id);
            if (entry == null) {
                // read as "no tracker should fire" it would raise the rejection and hide the hits that were wanted
                problem(where, "labels: has no entry for " + field + " (id '" + id + "'); every message needs one,"
                        + " [] when no tracker should fire on it");
                continue;
            }
            Set<String> names = labels(entry, "labels." + id, where);
            if (text != null && names != null && (speaker == null || speaker.equals(said))) {
                kept.add(new MessageText(id, text));
                keptLabels.put(id, names);
            }
        }
        for (String labelledId : labelled.propertyNames()) {
            if (!idSet.contains(labelledId)) {
                problem(where, "labels." + labelledId + ": names no message of this conversation (its messages: "
                        + String.join(", ", ids) + ")");
            }
        }
        messages.addAll(kept);
        labels.putAll(keptLabels);
        conversations.add(ids);
    }

    /** A message id: a string, not blank, used by no message before it (labels and hits are keyed by it). */
    private String id(JsonNode node, String field, String where, int line) {
        String id = requiredString(node, field, where);
        if (id == null) {
            return null;
        }
        if (id.isBlank()) {
            problem(where, field + ": must not be blank");
            return null;
        }
        Integer first = idLines.putIfAbsent(id, line);
        if (first != null) {
            problem(where, field + ": '" + id + "' is also the id of a message on line " + first + "; ids must be"
                    + " unique, since labels and hits are keyed by them");
            return null;
        }
        return id;
    }

    /** A labels array: tracker names of the set; null when it is missing or wrong. */
    private Set<String> labels(JsonNode node, String field, String where) {
        if (node == null) {
            problem(where, field + ": is required ([] when no tracker should fire)");
            return null;
        }
        List<String> names = strings(node, field, where);
        if (names == null) {
            return null;
        }
        boolean known = true;
        for (int i = 0; i < names.size(); i++) {
            if (trackerNames != null && !trackerNames.contains(names.get(i))) {
                // the pair could never be hit: it would count as missed and lower the recall without a word
                problem(where, field + "[" + i + "]: '" + names.get(i) + "' is not the name of a tracker in "
                        + trackersFile);
                known = false;
            }
        }
        return known ? new LinkedHashSet<>(names) : null;
    }

    /** An array of strings, or null (with the problem) when it is not one; null without a problem when absent. */
    private List<String> strings(JsonNode node, String field, String where) {
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            problem(where, field + ": must be an array of strings, was " + JsonErrors.kind(node));
            return null;
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isString()) {
                problem(where, field + "[" + i + "]: must be a string, was " + JsonErrors.kind(node.get(i)));
                return null;
            }
            values.add(node.get(i).asString());
        }
        return values;
    }

    private String requiredString(JsonNode node, String field, String where) {
        if (member(node, field) == null) {
            problem(where, field + ": is required");
            return null;
        }
        return optionalString(node, field, where);
    }

    private String optionalString(JsonNode node, String field, String where) {
        JsonNode value = member(node, field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            problem(where, field + ": must be a string, was " + JsonErrors.kind(value));
            return null;
        }
        return value.asString();
    }

    /** The member named by the last part of {@code field} ({@code messages[2].text} is {@code text}). */
    private static JsonNode member(JsonNode node, String field) {
        return node.get(field.substring(field.lastIndexOf('.') + 1));
    }

    private interface LineReader {
        void read(int line, JsonNode node);
    }

    /** Each non-blank line of a JSON Lines file, parsed, with its line number. */
    private void readLines(Path file, LineReader reader) {
        int line = 0;
        int records = 0;
        int problemsBefore = found;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = lines.readLine(); text != null; text = lines.readLine()) {
                line++;
                if (line == 1 && text.startsWith(BYTE_ORDER_MARK)) {
                    text = text.substring(1); // written by some Windows editors; no part of the JSON
                }
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(text);
                } catch (JacksonException e) {
                    problem(where(file, line), "is not JSON: " + JsonErrors.reasonWithinLine(e));
                    continue;
                }
                records++;
                reader.read(line, node);
            }
        } catch (CharacterCodingException e) {
            problem(where(file, firstLineNotUtf8(file)), "is not UTF-8 text (save the file as UTF-8)");
            return;
        } catch (IOException e) {
            problem(file.toString(), "cannot be read: " + e);
            return;
        }
        if (records == 0 && found == problemsBefore) {
            problem(file.toString(), "has no message" + (line == 0 ? " (it is empty)" : " (only blank lines)"));
        }
    }

    /** The whole text of a UTF-8 file without its byte order mark, or null (with the problem). */
    private String readText(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text;
        } catch (NoSuchFileException e) {
            String name = String.valueOf(file.getFileName());
            problem(file.toString(), "does not exist" + (name.endsWith(".json") && !name.equals("trackers.json")
                    ? " (--trackers names a file inside FOLDER)" : ""));
        } catch (CharacterCodingException e) {
            problem(where(file, firstLineNotUtf8(file)), "is not UTF-8 text (save the file as UTF-8)");
        } catch (IOException e) {
            problem(file.toString(), "cannot be read: " + e);
        }
        return null;
    }

    /** The number of the first line that is not valid UTF-8, read again byte by byte (only when there is one). */
    private static int firstLineNotUtf8(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int number = 1;
            for (int b = in.read(); ; b = in.read()) {
                if (b == '\n' || b < 0) {
                    try {
                        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(line.toByteArray()));
                    } catch (CharacterCodingException e) {
                        return number;
                    }
                    if (b < 0) {
                        return number;
                    }
                    line.reset();
                    number++;
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            return 1;
        }
    }

    private void failOnProblems() {
        if (found > 0) {
            throw new InvalidDataSetException(problems, found);
        }
    }

    private static String where(Path file, int line) {
        return file + " line " + line;
    }

    private void problem(String where, String what) {
        found++;
        if (problems.size() < KEPT_PROBLEMS) {
            problems.add(where + ": " + what);
        }
    }
}
