package io.opentrackers.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The jar's command line: typos and bad values are usage errors, help lists the options, calibrate runs. */
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

    @Test
    void aFolderThatDoesNotExistIsAUsageError() {
        assertThat(run("benchmark", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a directory");
    }

    @ParameterizedTest
    @CsvSource({
            "evaluate, --threshold, --uncertainty-penalty, --sweep",
            "benchmark, --messages, --phrases, --aggregation",
            "calibrate, --per-intent, --held-out, --seed"})
    void helpListsTheOptionsOfEachCommand(String command, String first, String second, String third) {
        assertThat(run(command, "--help")).isZero();

        assertThat(out.toString()).startsWith("Usage: opentrackers " + command)
                .contains(first, second, third, "--help");
    }

    @Test
    void onlyTheOfflineCommandNamesKeepTheServiceFromStarting() {
        assertThat(OfflineCommands.handles(new String[] {"calibrate", "a"})).isTrue();
        assertThat(OfflineCommands.handles(new String[] {"help"})).isTrue();
        assertThat(OfflineCommands.handles(new String[] {"--server.port=9090"})).isFalse();
        assertThat(OfflineCommands.handles(new String[] {})).isFalse();
    }

    @Test
    void calibrateWritesASplitTheEvaluationReads() throws Exception {
        Path trackers = Files.createDirectories(dir.resolve("trackers"));
        Files.writeString(trackers.resolve("trackers.json"), """
                [{"name": "card", "vocabulary": ["where is my card"]},
                 {"name": "pin", "vocabulary": ["change my pin"]}]""");
        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, """
                text,category
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
}
