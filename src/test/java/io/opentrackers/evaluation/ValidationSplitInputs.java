package io.opentrackers.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The inputs of a validation split (the calibrate command, {@link ValidationSplitCommand}), written to a folder. */
final class ValidationSplitInputs {

    private ValidationSplitInputs() {
    }

    /**
     * {@code dir/trackers} holding two trackers of the 5 phrases the Management API asks for at least: card ("where
     * is my card", ...) and pin ("change my pin", ...).
     */
    static Path cardAndPinTrackers(Path dir) throws IOException {
        Path trackers = Files.createDirectories(dir.resolve("trackers"));
        Files.writeString(trackers.resolve("trackers.json"), """
                [{"name": "card", "vocabulary": ["where is my card", "has my card been sent", "when does my card arrive",
                  "track my new card", "my card is late"]},
                 {"name": "pin", "vocabulary": ["change my pin", "reset my pin", "I forgot my pin", "new pin please",
                  "pin change"]}]""");
        return trackers;
    }

    /** {@code dir/train.csv}: the header {@code text,category}, then {@code rows}. */
    static Path trainingCsv(Path dir, String rows) throws IOException {
        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, "text,category\n" + rows);
        return csv;
    }
}
