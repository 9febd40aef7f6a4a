package io.opentrackers.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The inputs of a validation split (the calibrate command, {@link ValidationSplitCommand}), written to a folder. */
final class ValidationSplitInputs {

    private ValidationSplitInputs() {
    }

    /** {@code dir/trackers} holding two trackers: card ("where is my card") and pin ("change my pin"). */
    static Path cardAndPinTrackers(Path dir) throws IOException {
        Path trackers = Files.createDirectories(dir.resolve("trackers"));
        Files.writeString(trackers.resolve("trackers.json"), """
                [{"name": "card", "vocabulary": ["where is my card"]},
                 {"name": "pin", "vocabulary": ["change my pin"]}]""");
        return trackers;
    }

    /** {@code dir/train.csv}: the header {@code text,category}, then {@code rows}. */
    static Path trainingCsv(Path dir, String rows) throws IOException {
        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, "text,category\n" + rows);
        return csv;
    }
}
