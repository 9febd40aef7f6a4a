package io.opentrackers.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code simulate} on a small conversation set in the shared format, with the real model. */
class SimulateCommandTest {

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

    @Test
    void replaysRoundsOfLabelledSuggestionsAndPrintsTheScoresOfEach() throws Exception {
        writeFixture();

        int exitCode = run("simulate", dir.toString(), "--rounds", "2", "--per-round", "2");

        assertThat(exitCode).as(err.toString()).isEqualTo(0);
        List<String[]> rounds = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (line.matches("^\\d+ \\d+ .*")) {
                rounds.add(line.trim().split("\\s+"));
            }
        }
        assertThat(out.toString()).contains("history 6 sentences, test 6 messages, 2 rounds of 2 suggestions");
        assertThat(rounds).hasSize(3);
        assertThat(rounds).extracting(r -> r[0]).containsExactly("0", "1", "2");
        // round r: each of the 2 trackers has 2 × r labelled examples (6 history sentences suffice)
        assertThat(rounds).extracting(r -> r[1]).containsExactly("0", "4", "8");
        for (String[] round : rounds) {
            assertThat(Integer.parseInt(round[2]) + Integer.parseInt(round[3])).isEqualTo(Integer.parseInt(round[1]));
            assertThat(Double.parseDouble(round[6])).isBetween(0.0, 1.0); // micro F1
        }
    }

    /**
     * --validation scores conversation 2 of the history (conversations 0, 2, 4) and keeps 0 and 4 as history; the
     * test conversations are not read, so none of their texts is embedded. --dump writes what each round saw.
     */
    @Test
    void validationScoresPartOfTheHistoryAndDumpWritesEachRound() throws Exception {
        writeFixture();
        Path dump = dir.resolve("dump");

        int exitCode = run("simulate", dir.toString(), "--rounds", "1", "--per-round", "2", "--validation",
                "--dump", dump.toString());

        assertThat(exitCode).as(err.toString()).isEqualTo(0);
        assertThat(out.toString()).contains("history 4 sentences, validation (from the history) 2 messages");
        JsonNode meta = JsonMapper.builder().build().readTree(dump.resolve("meta.json").toFile());
        assertThat(meta.get("messages").valueStream().map(JsonNode::asString)).containsExactly("c2-t0", "c2-t1");
        assertThat(meta.get("historyTexts").valueStream().map(JsonNode::asString)).containsExactly(
                "I would like my money back for the shoes", "The package still has not shown up",
                "I like your new logo", "I need the money returned for this broken lamp");
        assertThat(meta.get("rounds")).hasSize(2); // rounds 0 and 1
        assertThat(meta.get("rounds").get(1).get(0)).hasSize(2); // 2 labelled suggestions for the first tracker
        assertThat(Files.size(dump.resolve("history.f32"))).isEqualTo(4L * 384 * 4);
    }

    private void writeFixture() throws Exception {
        Files.writeString(dir.resolve("trackers.json"), """
                [{"name": "refund", "vocabulary": ["I want my money back", "can I get a refund", "refund my order",
                  "return it for a refund", "give me a refund"]},
                 {"name": "delivery", "vocabulary": ["where is my parcel", "when will it arrive", "track my package",
                  "my delivery is late", "shipping status"]}]""");
        String[][] turns = {
                {"I would like my money back for the shoes", "refund"},
                {"The package still has not shown up", "delivery"},
                {"What a lovely day it is", ""},
                {"Please send the refund to my card", "refund"},
                {"Has my order shipped yet?", "delivery"},
                {"Thanks, that is all", ""},
                {"Can you reverse the charge and pay me back?", "refund"},
                {"The courier never came", "delivery"},
                {"I like your new logo", ""},
                {"I need the money returned for this broken lamp", "refund"},
                {"Where is the box I ordered last week?", "delivery"},
                {"Goodbye", ""}};
        StringBuilder conversations = new StringBuilder();
        for (int c = 0; c < turns.length / 2; c++) {
            StringBuilder messages = new StringBuilder();
            StringBuilder labels = new StringBuilder();
            for (int m = 0; m < 2; m++) {
                String[] turn = turns[2 * c + m];
                String id = "c" + c + "-t" + m;
                messages.append(m == 0 ? "" : ", ").append("{\"id\": \"").append(id)
                        .append("\", \"speaker\": \"customer\", \"text\": \"").append(turn[0]).append("\"}");
                labels.append(m == 0 ? "" : ", ").append('"').append(id).append("\": [")
                        .append(turn[1].isEmpty() ? "" : "\"" + turn[1] + "\"").append(']');
            }
            conversations.append("{\"id\": \"c").append(c).append("\", \"messages\": [").append(messages)
                    .append("], \"labels\": {").append(labels).append("}}\n");
        }
        Files.writeString(dir.resolve("conversations.jsonl"), conversations);

    }

    /** A mistyped --history path was a NoSuchFileException's stack trace, after the data set was read. */
    @Test
    void aHistoryThatIsNoFileIsAUsageError() throws Exception {
        writeFixture();

        assertThat(run("simulate", dir.toString(), "--history", dir.resolve("train.csv").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("--history " + dir.resolve("train.csv") + " is not a file");
    }

    /** A history CSV saved as Latin-1 was a MalformedInputException's stack trace, naming neither file nor line. */
    @Test
    void aHistoryThatIsNotUtf8IsNamedWithItsLine() throws Exception {
        writeFixture();
        Path csv = dir.resolve("train.csv");
        Files.write(csv, "text,category\nmy parcel is late,delivery\ncaf\u00e9 refund,refund\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(run("simulate", dir.toString(), "--history", csv.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("The data set has a problem:" + System.lineSeparator() + "  " + csv
                + " line 3: is not UTF-8 text (save the file as UTF-8)");
    }

    @Test
    void anUtteranceSetWithoutAHistoryIsAUsageError() throws Exception {
        Files.writeString(dir.resolve("trackers.json"), "[{\"name\": \"a\", \"vocabulary\": [\"x\", \"y\", \"z\", \"u\", \"v\"]}]");
        Files.writeString(dir.resolve("messages.jsonl"), "{\"id\": \"m1\", \"text\": \"x\", \"labels\": [\"a\"]}\n");

        assertThat(run("simulate", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("an utterance set needs --history CSV");
    }
}
