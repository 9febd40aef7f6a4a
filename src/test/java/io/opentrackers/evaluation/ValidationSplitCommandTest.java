package io.opentrackers.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationSplitCommandTest {

    @TempDir
    Path dir;

    @Test
    void readsQuotedCsvFieldsWithCommasQuotesAndLineBreaks() throws Exception {
        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, "text,category\r\n\"Hi, \"\"card\"\" late\",card_arrival\nplain,pin\n\"two\nlines\",pin");
        assertThat(ValidationSplitCommand.readCsv(csv)).containsExactly(List.of("Hi, \"card\" late", "card_arrival"),
                List.of("plain", "pin"), List.of("two\nlines", "pin"));
    }

    @Test
    void messagesAreTrainUtterancesOutsideEveryVocabularyAndHeldOutIntentsBecomeOutOfScope() throws Exception {
        Path trackers = ValidationSplitInputs.cardAndPinTrackers(dir);
        Path csv = ValidationSplitInputs.trainingCsv(dir, """
                Where is my card?,card
                my card has not come,card
                how do I change my PIN,pin
                Change my PIN!,pin
                unknown intent,other
                """);
        Path out = dir.resolve("split");
        ValidationSplitCommand.main(new String[] {csv.toString(), trackers.toString(), out.toString(),
                "--held-out", "1", "--seed", "3"});

        DataSet split = DataSet.load(out, "trackers.json", null);
        // vocabulary phrases (after the data set's cleaning) and intents without a tracker are left out
        assertThat(split.messages()).extracting(message -> message.text())
                .containsExactlyInAnyOrder("my card has not come", "how do I change my PIN");
        assertThat(split.trackers()).hasSize(1);
        String kept = split.trackers().get(0).name();
        Set<String> labelled = split.labels().values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        assertThat(labelled).containsExactly(kept);
        assertThat(split.labels().values()).filteredOn(Set::isEmpty).hasSize(1);
    }
}
