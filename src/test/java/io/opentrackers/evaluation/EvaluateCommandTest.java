package io.opentrackers.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} on a small utterance set, with the real model. */
class EvaluateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return OfflineCommands.commandLine(new OfflineCommands())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    /** The whole evaluation ran, then ended in a stack trace when the report could not be written. */
    @Test
    void anOutputFileThatCannotBeWrittenIsAUsageErrorBeforeTheRun() throws Exception {
        Files.writeString(dir.resolve("trackers.json"), DataSetReaderTest.TRACKERS);
        Files.writeString(dir.resolve("messages.jsonl"), "{\"id\": \"1\", \"text\": \"Hi\", \"labels\": []}\n");

        assertThat(run("evaluate", dir.toString(), "--report", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("--report " + dir + " is a directory; name a file");
        assertThat(out.toString()).isEmpty();

        Path underAFile = dir.resolve("trackers.json").resolve("mistakes.jsonl");
        assertThat(run("evaluate", dir.toString(), "--mistakes", underAFile.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--mistakes " + underAFile + " cannot be written: "
                + dir.resolve("trackers.json") + " is not a folder this user may write in");
        assertThat(out.toString()).isEmpty();
    }

    /**
     * Every figure of a sweep line has three decimals, as the scores line has: the rejection was Java's text of a
     * double ("0.6666666666666666", "1.0") and "null" for a set without unlabelled messages.
     */
    @Test
    void aSweepPrintsEveryFigureWithThreeDecimals() throws Exception {
        Files.writeString(dir.resolve("trackers.json"), DataSetReaderTest.TRACKERS);
        Files.writeString(dir.resolve("messages.jsonl"), """
                {"id": "1", "text": "Where is my parcel?", "labels": ["delivery"]}
                {"id": "2", "text": "I would like my money back", "labels": ["refund"]}
                {"id": "3", "text": "What a lovely day", "labels": []}
                {"id": "4", "text": "Your logo is nice", "labels": []}
                {"id": "5", "text": "Goodbye then", "labels": []}
                """);

        int exitCode = run("evaluate", dir.toString(), "--sweep", "--aggregations", "MAX", "--margins", "0",
                "--quantiles", "0.9");

        assertThat(exitCode).as(err.toString()).isZero();
        List<String> sweepLines = out.toString().lines().filter(line -> line.contains(" | ")
                && !line.startsWith("micro") && !line.startsWith("aggregation")).toList();
        assertThat(sweepLines).hasSizeGreaterThan(20);
        for (String line : sweepLines) {
            String[] figures = line.substring(line.indexOf(" | ") + 3).split(" ");
            assertThat(figures).as(line).hasSize(4).allMatch(figure -> figure.matches("\\d\\.\\d{3}"));
        }
    }
}
