package io.opentrackers.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data set a user brings: every problem of its files is reported before anything is embedded, naming the file,
 * the line (or the tracker), the member and the reason. Each of these ended in a stack trace or, worse, in figures
 * that were silently wrong.
 */
class DataSetReaderTest {

    /** Two trackers the Management API accepts (5 to 50 phrases of letters, digits, spaces and . ' -). */
    static final String TRACKERS = """
            [{"name": "refund", "vocabulary": ["I want my money back", "can I get a refund", "refund my order",
              "return it for a refund", "give me a refund"]},
             {"name": "delivery", "vocabulary": ["where is my parcel", "when will it arrive", "track my package",
              "my delivery is late", "shipping status"]}]""";

    @TempDir
    Path dir;

    @Test
    void aValidUtteranceSetIsReadWithItsLabels() throws Exception {
        write("trackers.json", TRACKERS);
        write("messages.jsonl", """
                {"id": "1", "text": "Where is my parcel?", "labels": ["delivery"]}
                {"id": "2", "text": "Nice weather", "labels": []}
                """);

        DataSet data = load(null);

        assertThat(data.trackers()).extracting(t -> t.name()).containsExactly("refund", "delivery");
        assertThat(data.messages()).extracting(m -> m.id()).containsExactly("1", "2");
        assertThat(data.labels()).containsEntry("1", Set.of("delivery")).containsEntry("2", Set.of());
        assertThat(data.conversations()).isEmpty();
    }

    /** Notepad's byte order mark, Windows line ends, blank lines and the last line's newline are no problems. */
    @Test
    void aByteOrderMarkCrlfLineEndsAndBlankLinesAreAccepted() throws Exception {
        write("trackers.json", "\uFEFF" + TRACKERS.replace("\n", "\r\n"));
        write("messages.jsonl", "\uFEFF{\"id\": \"1\", \"text\": \"Où est mon colis ?\", \"labels\": [\"delivery\"]}"
                + "\r\n"
                + "\r\n   \r\n{\"id\": \"2\", \"text\": \"x\", \"labels\": []}\r\n");

        DataSet data = load(null);

        assertThat(data.messages()).extracting(m -> m.text()).containsExactly("Où est mon colis ?", "x");
    }

    @Test
    void aTrackersFileThatIsNotJsonNamesTheFileAndWhereTheParserStopped() throws Exception {
        write("trackers.json", "garbage");
        write("messages.jsonl", "{\"id\": \"1\", \"text\": \"x\", \"labels\": []}\n");

        assertThat(problems(null)).containsExactly(dir.resolve("trackers.json") + ": is not JSON: Unrecognized"
                + " token 'garbage': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or"
                + " 'false') at line 1, column 1");
    }

    @Test
    void aTrackersFileThatIsNoArrayOrIsEmptyOrMissingIsNamed() throws Exception {
        write("messages.jsonl", "{\"id\": \"1\", \"text\": \"x\", \"labels\": []}\n");
        assertThat(problems(null)).containsExactly(dir.resolve("trackers.json") + ": does not exist");

        write("trackers.json", "{\"name\": \"refund\"}");
        assertThat(problems(null)).containsExactly(dir.resolve("trackers.json") + ": must be a JSON array of"
                + " trackers [{\"name\": ..., \"vocabulary\": [...]}], was an object");

        write("trackers.json", "");
        assertThat(problems(null)).containsExactly(dir.resolve("trackers.json") + ": must be a JSON array of"
                + " trackers [{\"name\": ..., \"vocabulary\": [...]}], is empty");

        write("trackers.json", "[]");
        assertThat(problems(null)).containsExactly(dir.resolve("trackers.json") + ": has no tracker");
    }

    /** The service's own rules (TrackerRules): a tracker it would refuse cannot be measured as it would run. */
    @Test
    void trackersAreHeldToTheManagementApisRules() throws Exception {
        write("trackers.json", """
                [{"vocabulary": ["a", "b", "c", "d", "e"]},
                 {"name": "short", "vocabulary": ["one", "two", "three"]},
                 {"name": "odd", "vocabulary": ["is it free?", "b", "c", "d", "B"]},
                 {"name": "typed", "vocabulary": "free"},
                 {"name": "odd", "vocabulary": ["a", "b", "c", "d", "e"]}]""");
        write("messages.jsonl", "{\"id\": \"1\", \"text\": \"x\", \"labels\": []}\n");

        String file = dir.resolve("trackers.json").toString();
        assertThat(problems(null)).containsExactly(
                file + ": trackers[0]: name: is required",
                file + ": trackers[1] \"short\": vocabulary: must have 5 to 50 phrases, has 3",
                file + ": trackers[2] \"odd\": vocabulary[0]: \"is it free?\" contains '?' which is not allowed;"
                        + " a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and"
                        + " hyphens (-)",
                file + ": trackers[2] \"odd\": vocabulary[4]: \"B\" repeats vocabulary[1] (phrases are compared"
                        + " ignoring case, spacing and how accents are encoded)",
                file + ": trackers[3]: vocabulary: must be an array of strings, was a string",
                file + ": trackers[4] \"odd\": name: repeats trackers[2]; labels name trackers, so each name must"
                        + " be one tracker's (names are compared ignoring spacing and how accents are encoded, as"
                        + " the service compares them)");
    }

    @Test
    void eachBadLineOfAnUtteranceSetIsNamedWithItsNumberAndMember() throws Exception {
        write("trackers.json", TRACKERS);
        write("messages.jsonl", """
                {"id": "1", "text": "Where is my parcel?", "labels": ["delivery"]}
                {"id": "2", "text": "cut off
                ["an", "array"]
                {"text": "no id", "labels": []}
                {"id": "5", "labels": []}
                {"id": "6", "text": "no labels"}
                {"id": "1", "text": "again", "labels": []}
                {"id": "8", "text": "typo", "labels": ["refnd"]}
                {"id": 9, "text": "number", "labels": "refund"}
                """);

        String file = dir.resolve("messages.jsonl").toString();
        assertThat(problems(null)).containsExactly(
                file + " line 2: is not JSON: Unexpected end-of-input: was expecting closing quote for a string"
                        + " value at column 29",
                file + " line 3: must be an object {\"id\": ..., \"text\": ..., \"labels\": [...]}, was an array",
                file + " line 4: id: is required",
                file + " line 5: text: is required",
                file + " line 6: labels: is required ([] when no tracker should fire)",
                file + " line 7: id: '1' is also the id of a message on line 1; ids must be unique, since labels"
                        + " and hits are keyed by them",
                file + " line 8: labels[0]: 'refnd' is not the name of a tracker in trackers.json",
                file + " line 9: id: must be a string, was a number",
                file + " line 9: labels: must be an array of strings, was a string");
    }

    @Test
    void aConversationsLabelsMustHaveAnEntryForEveryMessageAndNoOther() throws Exception {
        write("trackers.json", TRACKERS);
        write("conversations.jsonl", """
                {"id": "c1", "messages": [{"id": "m1", "speaker": "agent", "text": "Hello"}, \
                {"id": "m2", "speaker": "customer", "text": "Where is my parcel?"}], \
                "labels": {"m1": [], "m3": ["delivery"]}}
                {"id": "c2", "messages": [{"id": "m4", "speaker": "agent", "text": "Hi"}]}
                """);

        String file = dir.resolve("conversations.jsonl").toString();
        assertThat(problems(null)).containsExactly(
                file + " line 1: labels: has no entry for messages[1] (id 'm2'); every message needs one, [] when"
                        + " no tracker should fire on it",
                file + " line 1: labels.m3: names no message of this conversation (its messages: m1, m2)",
                file + " line 2: labels: is required: an object with an entry for every message ([] when no"
                        + " tracker should fire on it)");
    }

    @Test
    void aConversationSetKeepsTheSpeakerAskedForAndEveryConversationsIds() throws Exception {
        writeConversations();

        DataSet data = load("customer");

        assertThat(data.messages()).extracting(m -> m.id()).containsExactly("m2", "m4");
        assertThat(data.conversations()).containsExactly(List.of("m1", "m2"), List.of("m3", "m4"));
    }

    /** --speaker nobody scored no message at all, and printed figures of 0 as if they were measured. */
    @Test
    void aSpeakerNoMessageHasIsAProblemListingTheSpeakers() throws Exception {
        writeConversations();

        assertThat(problems("Customer")).containsExactly("--speaker Customer: no message of "
                + dir.resolve("conversations.jsonl") + " has this speaker (its speakers: agent, customer)");
    }

    /** An utterance set has no speakers: --speaker was ignored and every message scored. */
    @Test
    void aSpeakerOnAnUtteranceSetIsAProblem() throws Exception {
        write("trackers.json", TRACKERS);
        write("messages.jsonl", "{\"id\": \"1\", \"text\": \"x\", \"labels\": []}\n");

        assertThat(problems("customer")).containsExactly("--speaker customer: keeps one speaker's messages of"
                + " conversations.jsonl, but " + dir + " is an utterance set (messages.jsonl, no speakers)");
    }

    @Test
    void anEmptyMessagesFileOrAFolderWithoutOneIsAProblem() throws Exception {
        write("trackers.json", TRACKERS);
        assertThat(problems(null)).containsExactly(dir + ": has neither messages.jsonl nor conversations.jsonl"
                + " (../shared/data/README.md, \"Common format\")");

        write("messages.jsonl", "\n\n");
        assertThat(problems(null)).containsExactly(dir.resolve("messages.jsonl")
                + ": has no message (only blank lines)");
    }

    @Test
    void aLineThatIsNotUtf8IsNamed() throws Exception {
        write("trackers.json", TRACKERS);
        byte[] latin1 = "{\"id\": \"2\", \"text\": \"caf\u00e9\", \"labels\": []}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] first = "{\"id\": \"1\", \"text\": \"x\", \"labels\": []}\n".getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[first.length + latin1.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(latin1, 0, both, first.length, latin1.length);
        Files.write(dir.resolve("messages.jsonl"), both);

        assertThat(problems(null)).containsExactly(dir.resolve("messages.jsonl")
                + " line 2: is not UTF-8 text (save the file as UTF-8)");
    }

    @Test
    void onlyTheFirstProblemsAreListedWithTheNumberOfTheOthers() throws Exception {
        write("trackers.json", TRACKERS);
        write("messages.jsonl", "nonsense\n".repeat(25));

        assertThatThrownBy(() -> load(null)).isInstanceOf(InvalidDataSetException.class)
                .hasMessageStartingWith("The data set has 25 problems:")
                .hasMessageContaining("line 20: is not JSON").hasMessageNotContaining("line 21:")
                .hasMessageEndingWith("... and 5 more");
    }

    private void writeConversations() throws Exception {
        write("trackers.json", TRACKERS);
        write("conversations.jsonl", """
                {"id": "c1", "messages": [{"id": "m1", "speaker": "agent", "text": "Hello"}, \
                {"id": "m2", "speaker": "customer", "text": "Where is my parcel?"}], \
                "labels": {"m1": [], "m2": ["delivery"]}}
                {"id": "c2", "messages": [{"id": "m3", "speaker": "agent", "text": "Hi"}, \
                {"id": "m4", "speaker": "customer", "text": "I want a refund"}], \
                "labels": {"m3": [], "m4": ["refund"]}}
                """);
    }

    private void write(String file, String content) throws Exception {
        Files.writeString(dir.resolve(file), content);
    }

    private DataSet load(String speaker) {
        return DataSet.load(dir, "trackers.json", speaker);
    }

    /** The problems the data set has, one per line of the message (its first line is the heading). */
    private List<String> problems(String speaker) {
        try {
            load(speaker);
        } catch (InvalidDataSetException e) {
            return e.getMessage().lines().skip(1).map(String::strip).toList();
        }
        throw new AssertionError("the data set was read without a problem");
    }
}
