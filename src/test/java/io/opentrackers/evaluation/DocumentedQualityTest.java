package io.opentrackers.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What users get from the matcher and from teaching does not quietly get worse: the evaluation and simulation
 * commands, as docs/quality.md runs them, on the labelled sets with the shipped default, must keep each figure that
 * page reports (10 phrases), less 0.01 for a processor whose int8 kernels round differently, or 0.02 on the two small
 * sets (fewer than 300 messages, where one pair moves F1 by about 0.005). Where an issue set a target that is met,
 * the floor is never under it (scenarios F1 0.50, oos-variant 0.83 / 0.60, SGD F1 0.70; teaching on the oos-variant
 * 0.88 / 0.80). A change that moves a figure on purpose updates the page and these tables together.
 */
class DocumentedQualityTest {

    /** The labelled sets beside the repository (CI clones it with ../shared beside it). */
    private static final Path SHARED_DATA = Path.of("..", "shared", "data");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}: micro-F1 >= {3}, in-scope F1 >= {4}, rejection >= {5}")
    @CsvSource(nullValues = "-", value = {
        // folder,                                   speaker,  shared, micro-F1, in-scope F1, rejection
        "src/test/resources/eval/fresh-calls,         -,        false,  0.604,    0.701,       0.819",
        "scenarios,                                   -,        true,   0.512,    0.564,       0.874",
        "banking77,                                   -,        true,   0.834,    0.834,       -",
        "banking77/oos-variant,                       -,        true,   0.811,    0.849,       0.643",
        "sgd,                                         customer, true,   0.700,    0.820,       0.889"})
    void theDefaultKeepsItsDocumentedQuality(String folder, String speaker, boolean shared, double microF1,
            double inScopeF1, Double rejection) throws Exception {
        Path data = shared ? sharedSet(folder) : Path.of(folder);
        Path report = dir.resolve("report.json");
        List<String> args = new ArrayList<>(List.of("evaluate", data.toString(), "--report", report.toString()));
        if (speaker != null) {
            args.addAll(List.of("--speaker", speaker));
        }
        String summary = run(args);

        JsonNode scores = JsonMapper.builder().build().readTree(report.toFile()).get("scores");
        assertThat(scores.get("f1").asDouble()).as("micro-F1\n" + summary).isGreaterThanOrEqualTo(microF1);
        assertThat(scores.get("inScopeF1").asDouble()).as("in-scope F1\n" + summary)
                .isGreaterThanOrEqualTo(inScopeF1);
        if (rejection != null) {
            assertThat(scores.get("rejection").asDouble()).as("rejection\n" + summary)
                    .isGreaterThanOrEqualTo(rejection);
        }
    }

    /**
     * The teaching loop (docs/quality.md, "Teaching"): {@code simulate} as that page runs it, 2 rounds of 25 labelled
     * suggestions per tracker; after round 2 the micro-F1, in-scope F1 and rejection it reports, less 0.01, and never
     * under the target (oos-variant 0.88 / 0.80). Each round must also improve on the default's in-scope F1.
     */
    @ParameterizedTest(name = "{0} {1}: after 2 rounds micro-F1 >= {3}, in-scope F1 >= {4}, rejection >= {5}")
    @CsvSource(nullValues = "-", value = {
        // folder,               speaker,  history,                                micro-F1, in-scope F1, rejection
        "banking77/oos-variant,  -,        ../shared/data/banking77/raw/train.csv, 0.873,    0.882,       0.908",
        "sgd,                    customer, -,                                      0.758,    0.845,       0.926"})
    void teachingKeepsItsDocumentedQuality(String folder, String speaker, String history, double microF1,
            double inScopeF1, double rejection) {
        List<String> args = new ArrayList<>(List.of("simulate", sharedSet(folder).toString()));
        if (speaker != null) {
            args.addAll(List.of("--speaker", speaker));
        }
        if (history != null) {
            args.addAll(List.of("--history", history));
        }
        String summary = run(args);

        // "round examples positives negatives refitMs | microF1 macroF1 inScopeF1 rejection"
        List<Round> rounds = new ArrayList<>();
        for (String line : summary.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 10 && columns[5].equals("|") && columns[0].matches("\\d+")) {
                rounds.add(new Round(Double.parseDouble(columns[6]), Double.parseDouble(columns[8]),
                        Double.parseDouble(columns[9])));
            }
        }
        assertThat(rounds).as(summary).hasSize(3);
        Round before = rounds.get(0);
        Round after = rounds.get(2);
        assertThat(rounds.get(1).inScopeF1()).as("round 1 in-scope F1\n" + summary).isGreaterThan(before.inScopeF1());
        assertThat(after.inScopeF1()).as("round 2 in-scope F1\n" + summary).isGreaterThanOrEqualTo(inScopeF1)
                .isGreaterThan(before.inScopeF1());
        assertThat(after.rejection()).as("round 2 rejection\n" + summary).isGreaterThanOrEqualTo(rejection);
        assertThat(after.microF1()).as("round 2 micro-F1\n" + summary).isGreaterThanOrEqualTo(microF1);
    }

    /** A set of ../shared/data; the test is skipped, saying why, where that folder is not beside the repository. */
    private static Path sharedSet(String folder) {
        Path data = SHARED_DATA.resolve(folder);
        Assumptions.assumeTrue(Files.isDirectory(data), "the labelled sets are read from " + SHARED_DATA
                + " beside the repository; not there, so not measured");
        return data;
    }

    /** Runs one of the jar's offline commands in this JVM; what it printed, once it succeeded. */
    private static String run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = OfflineCommands.commandLine(new OfflineCommands()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new));
        assertThat(exitCode).as(err.toString()).isZero();
        return out.toString();
    }

    /** One line of {@code simulate}'s table, the figures checked. */
    private record Round(double microF1, double inScopeF1, double rejection) {
    }
}
