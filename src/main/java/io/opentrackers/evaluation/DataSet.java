package io.opentrackers.evaluation;

import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A data set in the ../shared/data format: trackers.json plus messages.jsonl (utterances) or conversations.jsonl
 * (dialogues, every message labelled). Tracker ids are their names, as in the labels.
 */
record DataSet(List<TrackerDefinition> trackers, List<MessageText> messages, Map<String, Set<String>> labels) {

    static DataSet load(Path folder, String trackersFile, String speaker) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<TrackerDefinition> trackers = new ArrayList<>();
        for (JsonNode node : json.readTree(folder.resolve(trackersFile).toFile())) {
            List<String> vocabulary = new ArrayList<>();
            node.get("vocabulary").forEach(phrase -> vocabulary.add(phrase.asString()));
            String name = node.get("name").asString();
            trackers.add(new TrackerDefinition(name, name, vocabulary, null, 0));
        }
        List<MessageText> messages = new ArrayList<>();
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        Path utterances = folder.resolve("messages.jsonl");
        Path conversations = folder.resolve("conversations.jsonl");
        if (Files.exists(utterances)) {
            for (String line : Files.readAllLines(utterances)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                String id = node.get("id").asString();
                messages.add(new MessageText(id, node.get("text").asString()));
                labels.put(id, names(node.get("labels")));
            }
        } else if (Files.exists(conversations)) {
            for (String line : Files.readAllLines(conversations)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                for (JsonNode message : node.get("messages")) {
                    if (speaker != null && !speaker.equals(message.path("speaker").asString(""))) {
                        continue;
                    }
                    String id = message.get("id").asString();
                    messages.add(new MessageText(id, message.get("text").asString()));
                    labels.put(id, names(node.get("labels").path(id)));
                }
            }
        } else {
            throw new IOException(folder + " has neither messages.jsonl nor conversations.jsonl");
        }
        return new DataSet(trackers, messages, labels);
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new HashSet<>();
        if (array != null && array.isArray()) {
            array.forEach(label -> names.add(label.asString()));
        }
        return names;
    }
}
