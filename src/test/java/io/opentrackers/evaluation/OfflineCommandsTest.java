package io.opentrackers.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The jar's command line: typos, bad values and unreadable data sets are usage errors, help lists the options,
 * calibrate and combine run, evaluate prints its figures (the last tests with the real model).
 */
class OfflineCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = OfflineCommands.commandLine(new OfflineCommands())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void anOptionTypoIsAUsageErrorNamingIt() {
        int exitCode = run("evaluate", dir.toString(), "--treshold", "0.8");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unknown options: '--treshold'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aPolicyValueThatIsNotANumberIsAUsageErrorBeforeTheModelLoads() {
        int exitCode = run("evaluate", dir.toString(), "--threshold", "high");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("threshold must be a number, not 'high'");
    }

    /** The policy's own check answered with a sentence of every rule, naming neither the option nor its value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--calibration-quantile | 2    | --calibration-quantile must be 0 (off) or in [0.8, 1], was 2.0",
            "--margin               | -1   | --margin must not be negative, was -1.0",
            "--min-probability      | 1.5  | --min-probability must be in [0, 1], was 1.5"})
    void aPolicyValueOutOfRangeIsAUsageErrorNamingTheOptionAndValue(String option, String value, String message) {
        assertThat(run("evaluate", dir.toString(), option, value)).isEqualTo(2);
        assertThat(err.toString()).startsWith(message + System.lineSeparator());
    }

    @Test
    void aFolderThatDoesNotExistIsAUsageError() {
        assertThat(run("benchmark", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a directory");
    }

    @ParameterizedTest
    @CsvSource({
            "evaluate, --threshold, --uncertainty-penalty, --sweep",
            "benchmark, --messages, --phrases, --aggregation",
            "calibrate, --per-intent, --held-out, --seed",
            "combine, OUT_FOLDER, SET, FOLDER:SPEAKER"})
    void helpListsTheOptionsOfEachCommand(String command, String first, String second, String third) {
        assertThat(run(command, "--help")).isZero();

        assertThat(out.toString()).startsWith("Usage: opentrackers " + command)
                .contains(first, second, third, "--help");
    }

    @Test
    void onlyPropertyArgumentsStartTheService() {
        assertThat(OfflineCommands.handles(new String[] {"calibrate", "a"})).isTrue();
        assertThat(OfflineCommands.handles(new String[] {"help"})).isTrue();
        assertThat(OfflineCommands.handles(new String[] {"--server.port=9090"})).isFalse();
        assertThat(OfflineCommands.handles(new String[] {"--spring.datasource.url=jdbc:postgresql://db/ot"})).isFalse();
        assertThat(OfflineCommands.handles(new String[] {})).isFalse();
    }

    /** An operator's first try: these started the whole service (database, model, port 8080) instead. */
    @ParameterizedTest
    @CsvSource({"--help", "-h"})
    void helpOfTheJarSaysHowToStartTheServiceAndListsTheCommands(String option) {
        assertThat(OfflineCommands.handles(new String[] {option})).isTrue();

        assertThat(run(option)).isZero();
        assertThat(out.toString()).startsWith("Usage: opentrackers")
                .contains("java -jar opentrackers.jar [--property=value ...]", "evaluate", "benchmark", "simulate");
    }

    @Test
    void versionIsPrintedWithoutStartingTheService() {
        assertThat(OfflineCommands.handles(new String[] {"--version"})).isTrue();

        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("OpenTrackers ");
    }

    @Test
    void aMistypedCommandIsAUsageErrorThatSuggestsTheCommand() {
        assertThat(OfflineCommands.handles(new String[] {"evalute", "../shared/data/banking77"})).isTrue();

        assertThat(run("evalute", "../shared/data/banking77")).isEqualTo(2);
        assertThat(err.toString()).contains("'evalute'").contains("evaluate");
    }

    /**
     * A data set's malformed file is reported as a bad option is, by every command that reads one: the file, where
     * and why, then the usage, with exit code 2. It was Jackson's stack trace (about 30 "at" lines) and exit code 1.
     */
    @ParameterizedTest
    @CsvSource({"evaluate", "simulate", "benchmark", "combine", "calibrate"})
    void aMalformedTrackersFileIsAUsageErrorNamingTheFileNotAStackTrace(String command) throws Exception {
        Path set = Files.createDirectories(dir.resolve("set"));
        Files.writeString(set.resolve("trackers.json"), "garbage");
        Files.writeString(set.resolve("messages.jsonl"), "{\"id\": \"1\", \"text\": \"x\", \"labels\": []}\n");
        Path csv = ValidationSplitInputs.trainingCsv(dir, "my card has not come,card\n");
        String[] args = switch (command) {
            case "combine" -> new String[] {command, dir.resolve("out").toString(), set.toString(), set.toString()};
            case "calibrate" -> new String[] {command, csv.toString(), set.toString(), dir.resolve("out").toString()};
            default -> new String[] {command, set.toString()};
        };

        int exitCode = run(args);

        assertThat(exitCode).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).startsWith("The data set has a problem:" + System.lineSeparator() + "  "
                        + set.resolve("trackers.json") + ": is not JSON: Unrecognized token 'garbage'")
                .contains("Usage: opentrackers " + command)
                .doesNotContain("\tat ", "Exception");
        assertThat(out.toString()).isEmpty();
        assertThat(dir.resolve("out")).doesNotExist(); // nothing is written from a set that cannot be read
    }

    /** benchmark read the model folder before the other commands' check: an IllegalArgumentException's trace. */
    @Test
    void aModelDirThatIsNoModelFolderIsAUsageError() {
        int exitCode = run("benchmark", dir.toString(), "--model-dir", dir.resolve("no-model").toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("trackers.embedding.model-dir " + dir.resolve("no-model")
                .toAbsolutePath() + ": not a directory (a model folder holds model.onnx").doesNotContain("\tat ");
    }

    /** --messages -1 was an IllegalArgumentException of Stream.limit, with its stack trace, after the data set. */
    @ParameterizedTest
    @CsvSource({"--messages, -1", "--trackers, 0", "--phrases, 0"})
    void benchmarkRefusesCountsBelowOne(String option, String value) {
        assertThat(run("benchmark", dir.toString(), option, value)).isEqualTo(2);
        assertThat(err.toString()).startsWith("--messages, --trackers and --phrases must be at least 1");
    }

    /** A negative --held-out was an IllegalArgumentException of List.subList, with its stack trace. */
    @ParameterizedTest
    @CsvSource({"--held-out, -1", "--per-intent, 0"})
    void calibrateRefusesCountsBelowTheirLeast(String option, String value) throws Exception {
        Path trackers = ValidationSplitInputs.cardAndPinTrackers(dir);
        Path csv = ValidationSplitInputs.trainingCsv(dir, "my card has not come,card\n");

        int exitCode = run("calibrate", csv.toString(), trackers.toString(), dir.resolve("split").toString(),
                option, value);

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("--per-intent must be at least 1 and --held-out at least 0");
    }

    @Test
    void calibrateWritesASplitTheEvaluationReads() throws Exception {
        Path trackers = ValidationSplitInputs.cardAndPinTrackers(dir);
        Path csv = ValidationSplitInputs.trainingCsv(dir, """
                my card has not come,card
                how do I change my PIN,pin
                """);
        Path split = dir.resolve("split");

        int exitCode = run("calibrate", csv.toString(), trackers.toString(), split.toString(),
                "--held-out", "1", "--seed", "3");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).isEqualTo(split + ": 1 trackers (1 held out), 2 messages, 1 out of scope"
                + System.lineSeparator());
        DataSet data = DataSet.load(split, "trackers.json", null);
        assertThat(data.messages()).hasSize(2);
        assertThat(data.trackers()).hasSize(1);
    }

    @Test
    void combineMakesOneAccountOfSeveralSetsWithEachMessageKeepingItsOwnLabels() throws Exception {
        Path bank = Files.createDirectories(dir.resolve("bank"));
        Files.writeString(bank.resolve("trackers.json"), """
                [{"name": "card", "vocabulary": ["where is my card", "has my card been sent", "when does my card arrive",
                  "track my new card", "my card is late"]}]""");
        Files.writeString(bank.resolve("messages.jsonl"), """
                {"id": "1", "text": "My card has not come", "labels": ["card"]}
                {"id": "2", "text": "Is it raining?", "labels": []}
                """);
        Path calls = Files.createDirectories(dir.resolve("calls"));
        Files.writeString(calls.resolve("trackers.json"), """
                [{"name": "Booking", "vocabulary": ["book a table", "reserve a table", "a table for two",
                  "can I book for tonight", "make a reservation"]}]""");
        Files.writeString(calls.resolve("conversations.jsonl"), "{\"id\": \"c\", \"messages\": ["
                + "{\"id\": \"1\", \"speaker\": \"agent\", \"text\": \"How can I help?\"}, "
                + "{\"id\": \"2\", \"speaker\": \"customer\", \"text\": \"Book a table for two\"}], "
                + "\"labels\": {\"1\": [], \"2\": [\"Booking\"]}}\n");
        Path combined = dir.resolve("combined");

        int exitCode = run("combine", combined.toString(), bank.toString(), calls + ":customer");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).isEqualTo(combined + ": 2 trackers, 3 messages, 1 out of scope"
                + System.lineSeparator());
        DataSet data = DataSet.load(combined, "trackers.json", null);
        assertThat(data.trackers()).extracting(t -> t.name()).containsExactly("card", "Booking");
        assertThat(data.messages()).extracting(m -> m.id() + " " + m.text()).containsExactly(
                "bank/1 My card has not come", "bank/2 Is it raining?", "calls/2 Book a table for two");
        assertThat(data.labels()).containsEntry("bank/1", Set.of("card"))
                .containsEntry("bank/2", Set.of()).containsEntry("calls/2", Set.of("Booking"));
        assertThat(Files.exists(combined.resolve("trackers-5.json"))).isFalse(); // not every set has one
    }

    @Test
    void combineRefusesTwoSetsWithATrackerOfTheSameName() throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        for (Path set : new Path[] {first, second}) {
            Files.writeString(set.resolve("trackers.json"), """
                    [{"name": "card", "vocabulary": ["where is my card", "has my card been sent", "when does my card arrive",
                      "track my new card", "my card is late"]}]""");
            Files.writeString(set.resolve("messages.jsonl"), "{\"id\": \"1\", \"text\": \"x\", \"labels\": []}\n");
        }

        assertThat(run("combine", dir.resolve("out").toString(), first.toString(), second.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("two sets have a tracker named 'card'");
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
