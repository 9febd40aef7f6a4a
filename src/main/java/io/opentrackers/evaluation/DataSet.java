package io.opentrackers.evaluation;

import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data set in the ../shared/data format: trackers.json plus messages.jsonl (utterances) or conversations.jsonl
 * (dialogues, every message labelled). Tracker ids are their names, as in the labels.
 *
 * @param messages      the messages to score (of {@code --speaker} only, when given)
 * @param conversations a conversation set's message ids (every speaker's), one list per conversation in file
 *                      order; empty for an utterance set
 */
record DataSet(List<TrackerDefinition> trackers, List<MessageText> messages, Map<String, Set<String>> labels,
               List<List<String>> conversations) {

    /**
     * The data set in {@code folder}, checked ({@link DataSetReader}); an {@link InvalidDataSetException} lists
     * every problem of its files.
     */
    static DataSet load(Path folder, String trackersFile, String speaker) {
        return DataSetReader.read(folder, trackersFile, speaker);
    }
}
