package io.opentrackers.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TrackerPatchTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final TrackerRequest current = new TrackerRequest("Name", List.of("a", "b", "c"), null, List.of(), List.of("en-US"), null);

    private TrackerRequest apply(String patch) {
        return TrackerPatch.parse(json.readTree(patch), json).apply(current);
    }

    private List<String> invalidFields(Runnable action) {
        try {
            action.run();
        } catch (InvalidInputException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
        throw new AssertionError("expected an InvalidInputException");
    }

    @Test
    void addsInsertsReplacesAndRemovesListItems() {
        assertThat(apply("[{\"op\":\"add\",\"path\":\"/vocabulary/-\",\"value\":\"d\"}]").vocabulary())
                .containsExactly("a", "b", "c", "d");
        assertThat(apply("[{\"op\":\"add\",\"path\":\"/vocabulary/0\",\"value\":\"z\"}]").vocabulary())
                .containsExactly("z", "a", "b", "c");
        assertThat(apply("[{\"op\":\"add\",\"path\":\"/vocabulary/3\",\"value\":\"z\"}]").vocabulary())
                .containsExactly("a", "b", "c", "z");
        assertThat(apply("[{\"op\":\"replace\",\"path\":\"/vocabulary/1\",\"value\":\"B\"}]").vocabulary())
                .containsExactly("a", "B", "c");
        assertThat(apply("[{\"op\":\"remove\",\"path\":\"/vocabulary/2\"}]").vocabulary()).containsExactly("a", "b");
    }

    @Test
    void patchesTheConditions() {
        TrackerRequest patched = apply("""
                [{"op":"add","path":"/speaker","value":"agent"},
                 {"op":"add","path":"/window","value":{"anchor":"end","messages":2}},
                 {"op":"add","path":"/exclude/-","value":"not now"},
                 {"op":"add","path":"/exclude/0","value":"never"}]""");
        assertThat(patched.speaker()).isEqualTo("agent");
        assertThat(patched.window()).isEqualTo(new WindowRequest("end", null, 2.0));
        assertThat(patched.exclude()).containsExactly("never", "not now");

        TrackerRequest removed = TrackerPatch.parse(json.readTree("""
                [{"op":"remove","path":"/window"},{"op":"remove","path":"/exclude/1"},
                 {"op":"replace","path":"/speaker","value":"customer"}]"""), json).apply(patched);
        assertThat(removed.window()).isNull();
        assertThat(removed.exclude()).containsExactly("never");
        assertThat(removed.speaker()).isEqualTo("customer");
    }

    /** A patch may write one member twice: a wrong value is named by its operation, a required member's removal too. */
    @Test
    void aWrongValueIsNamedByTheOperationThatSentIt() {
        TrackerPatch patch = TrackerPatch.parse(json.readTree("""
                [{"op":"add","path":"/speaker","value":"agent"},
                 {"op":"replace","path":"/speaker","value":"boss"},
                 {"op":"remove","path":"/name"},
                 {"op":"replace","path":"/vocabulary","value":["one", "two", "three", "four", "why?"]}]"""),
                json);
        try {
            patch.checkValues(new TrackerRules(TrackerLimits.defaults()));
            throw new AssertionError("expected an InvalidInputException");
        } catch (InvalidInputException e) {
            assertThat(e.violations()).extracting(FieldViolation::field)
                    .containsExactly("patch[1].value", "patch[2].path", "patch[3].value[4]");
            assertThat(e.violations().get(1).message()).isEqualTo("/name is required; it can be replaced, not removed");
        }
    }

    @Test
    void conditionValuesAreCheckedAloneNamingTheirField() {
        TrackerPatch patch = TrackerPatch.parse(json.readTree("""
                [{"op":"replace","path":"/speaker","value":"boss"},
                 {"op":"add","path":"/window","value":{"anchor":"start","seconds":0}},
                 {"op":"add","path":"/exclude/-","value":"why?"},
                 {"op":"add","path":"/exclude","value":"not a list"}]"""), json);
        assertThat(invalidFields(() -> patch.checkValues(new TrackerRules(TrackerLimits.defaults()))))
                .containsExactly("patch[0].value", "patch[1].value.seconds", "patch[2].value", "patch[3].value");
        assertThat(invalidFields(() -> TrackerPatch.parse(json.readTree(
                "[{\"op\":\"add\",\"path\":\"/window/-\",\"value\":1}]"), json))).containsExactly("patch[0].path");
    }

    @Test
    void changesMembers() {
        TrackerRequest patched = apply("""
                [{"op":"add","path":"/description","value":"d"},{"op":"replace","path":"/name","value":"New"},
                 {"op":"add","path":"/sensitivity","value":0.5},{"op":"remove","path":"/languages"}]""");
        assertThat(patched.description()).isEqualTo("d");
        assertThat(patched.name()).isEqualTo("New");
        assertThat(patched.sensitivity()).isEqualTo(0.5);
        assertThat(patched.languages()).isNull(); // the rules turn an absent list into the default ["en-US"]
    }

    @Test
    void refusesUnsupportedOperationsAndPathsWhenParsing() {
        assertThat(invalidFields(() -> apply("""
                [{"op":"copy","from":"/name","path":"/description"},
                 {"op":"add","path":"/createdOn","value":"x"},
                 {"op":"add","path":"/vocabulary/01","value":"x"},
                 {"op":"remove","path":"/vocabulary/-"},
                 {"op":"add","path":"/name"},
                 "not an operation"]""")))
                .containsExactly("patch[0].op", "patch[1].path", "patch[2].path", "patch[3].path", "patch[4].value",
                        "patch[5]");
        assertThat(invalidFields(() -> apply("[]"))).containsExactly("body");
    }

    /** A misspelt member of an operation was ignored (RFC 6902 ignores unknown members), so "paht" read as no path. */
    @Test
    void aMisspeltOperationMemberIsNamedWithTheMemberMeant() {
        assertThat(violations("""
                [{"Op":"add","path":"/vocabulary/-","value":"d"},
                 {"op":"add","paht":"/vocabulary/-","value":"d"},
                 {"op":"add","path":"/vocabulary/-","Value":"d"},
                 {"op":"add","path":"/vocabulary/-","value":"d","comment":"ignored, as RFC 6902 says"}]"""))
                .containsExactly(
                        "patch[0].Op: is not a known field; did you mean op?",
                        "patch[1].paht: is not a known field; did you mean path?",
                        "patch[2].Value: is not a known field; did you mean value?");
    }

    @Test
    void aPathWhoseMemberIsMisspeltNamesThePathMeant() {
        assertThat(violations("""
                [{"op":"add","path":"/vocabularies/-","value":"d"},
                 {"op":"add","path":"/Vocabulary/-","value":"d"},
                 {"op":"replace","path":"/Name","value":"n"},
                 {"op":"add","path":"/category/0","value":"c"},
                 {"op":"add","path":"/names/0","value":"n"},
                 {"op":"add","path":"/colour","value":"n"}]"""))
                .containsExactly(
                        "patch[0].path: '/vocabularies/-' is not a path of a tracker; did you mean /vocabulary/-?",
                        "patch[1].path: '/Vocabulary/-' is not a path of a tracker; did you mean /vocabulary/-?",
                        "patch[2].path: '/Name' is not a path of a tracker; did you mean /name?",
                        "patch[3].path: '/category/0' is not a path of a tracker; did you mean /categories/0?",
                        "patch[4].path: '/names/0' cannot be patched; use /name, /description, /categories, "
                                + "/languages, /vocabulary, /sensitivity, /speaker, /window, /exclude, or "
                                + "/vocabulary/- and /vocabulary/N (likewise for categories, languages and exclude)",
                        "patch[5].path: '/colour' cannot be patched; use /name, /description, /categories, "
                                + "/languages, /vocabulary, /sensitivity, /speaker, /window, /exclude, or "
                                + "/vocabulary/- and /vocabulary/N (likewise for categories, languages and exclude)");
    }

    /** A newcomer's path without the leading '/' of a JSON Pointer was refused with the list of all paths. */
    @Test
    void aPathWithoutItsLeadingSlashNamesThePathMeant() {
        assertThat(violations("""
                [{"op":"replace","path":"name","value":"n"},
                 {"op":"add","path":"vocabulary/-","value":"d"},
                 {"op":"add","path":"Vocabulary/-","value":"d"},
                 {"op":"add","path":"colour","value":"n"},
                 {"op":"add","path":"","value":"n"}]"""))
                .containsExactly(
                        "patch[0].path: 'name' is not a path of a tracker; did you mean /name?",
                        "patch[1].path: 'vocabulary/-' is not a path of a tracker; did you mean /vocabulary/-?",
                        "patch[2].path: 'Vocabulary/-' is not a path of a tracker; did you mean /vocabulary/-?",
                        "patch[3].path: 'colour' cannot be patched; use /name, /description, /categories, "
                                + "/languages, /vocabulary, /sensitivity, /speaker, /window, /exclude, or "
                                + "/vocabulary/- and /vocabulary/N (likewise for categories, languages and exclude)",
                        "patch[4].path: '' cannot be patched; use /name, /description, /categories, "
                                + "/languages, /vocabulary, /sensitivity, /speaker, /window, /exclude, or "
                                + "/vocabulary/- and /vocabulary/N (likewise for categories, languages and exclude)");
    }

    private List<String> violations(String patch) {
        try {
            TrackerPatch.parse(json.readTree(patch), json);
        } catch (InvalidInputException e) {
            return e.violations().stream().map(FieldViolation::describe).toList();
        }
        throw new AssertionError("expected an InvalidInputException");
    }

    @Test
    void refusesTargetsThatDoNotExist() {
        assertThatThrownBy(() -> apply("[{\"op\":\"replace\",\"path\":\"/vocabulary/3\",\"value\":\"x\"}]"))
                .hasMessage("patch[0]: replace failed: index 3 is out of range; /vocabulary has 3 items");
        assertThatThrownBy(() -> apply("[{\"op\":\"add\",\"path\":\"/vocabulary/4\",\"value\":\"x\"}]"))
                .hasMessageContaining("index 4 is out of range");
        // an index beyond an int is out of range like any other, not a path that "cannot be patched"
        assertThatThrownBy(() -> apply("[{\"op\":\"add\",\"path\":\"/vocabulary/2147483648\",\"value\":\"x\"}]"))
                .hasMessageContaining("index 2147483648 is out of range");
        assertThatThrownBy(() -> apply("[{\"op\":\"test\",\"path\":\"/vocabulary/99999999999999999999\","
                + "\"value\":\"x\"}]")).hasMessageContaining("has no value to test");
        assertThatThrownBy(() -> apply("[{\"op\":\"remove\",\"path\":\"/description\"}]"))
                .hasMessage("patch[0]: remove failed: /description has no value to remove");
    }

    private static String messages(Runnable action) {
        try {
            action.run();
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an InvalidInputException");
    }

    /**
     * A label or phrase the patch adds that the list already holds is named by the operation that sent it. The rules
     * of the patched tracker named its position in the resulting list: inserted before the tracker's own label, that
     * was the tracker's label, which the client never sent ({@code languages[1]: "en-US" repeats languages[0]}).
     */
    @Test
    void aRepeatIsNamedByTheOperationThatAddedIt() {
        String sameLabel = "(labels are compared ignoring case, spacing and how accents are encoded)";
        assertThat(messages(() -> apply("[{\"op\":\"add\",\"path\":\"/languages/0\",\"value\":\" EN-us \"}]")))
                .isEqualTo("patch[0].value: \"EN-us\" repeats \"en-US\", which the tracker has in /languages "
                        + sameLabel);
        assertThat(messages(() -> apply("""
                [{"op":"add","path":"/vocabulary/-","value":"d"},
                 {"op":"replace","path":"/vocabulary/0","value":"x"},
                 {"op":"add","path":"/vocabulary/0","value":"B"}]""")))
                .isEqualTo("patch[2].value: \"B\" repeats \"b\", which the tracker has in /vocabulary (phrases are "
                        + "compared ignoring case, spacing and how accents are encoded)");
        // two operations adding the same label: the later one is named, with the one it repeats
        assertThat(messages(() -> apply("""
                [{"op":"add","path":"/categories/-","value":"sales"},
                 {"op":"add","path":"/categories/0","value":"Sales"}]""")))
                .isEqualTo("patch[1].value: \"Sales\" repeats \"sales\", which patch[0].value adds " + sameLabel);
        assertThat(messages(() -> apply("""
                [{"op":"replace","path":"/categories","value":["renewal","sales"]},
                 {"op":"add","path":"/categories/-","value":"SALES"}]""")))
                .isEqualTo("patch[1].value: \"SALES\" repeats \"sales\", which patch[0].value[1] adds " + sameLabel);
        // what the patch replaced or removed is no longer there to repeat
        assertThat(apply("""
                [{"op":"replace","path":"/vocabulary/1","value":"z"},
                 {"op":"add","path":"/vocabulary/-","value":"B"}]""").vocabulary()).containsExactly("a", "z", "c", "B");
        assertThat(apply("""
                [{"op":"remove","path":"/languages"},
                 {"op":"add","path":"/languages/-","value":"en-us"}]""").languages()).containsExactly("en-us");
    }

    @Test
    void valuesOfTheWrongTypeAreNamedByField() {
        assertThat(invalidFields(() -> apply("[{\"op\":\"replace\",\"path\":\"/vocabulary\",\"value\":\"one\"}]")))
                .containsExactly("vocabulary");
        assertThat(invalidFields(() -> apply("[{\"op\":\"add\",\"path\":\"/vocabulary/-\",\"value\":{\"x\":1}}]")))
                .containsExactly("vocabulary[3]");
    }

    @Test
    void theCurrentTrackerIsNotModified() {
        apply("[{\"op\":\"add\",\"path\":\"/vocabulary/-\",\"value\":\"d\"}]");
        assertThat(current.vocabulary()).containsExactly("a", "b", "c");
    }

    @Test
    void anObjectOfMembersIsAnsweredWithThePatchThatDoesWhatItMeant() {
        String sent = "{\"speaker\":\"agent\",\"sensitivity\":0.7,\"colour\":\"red\"}";
        assertThatThrownBy(() -> TrackerPatch.parse(json.readTree(sent), json))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a JSON-Patch must be an array of operations, was an object; to set these members "
                        + "send [{\"op\":\"add\",\"path\":\"/speaker\",\"value\":\"agent\"},"
                        + "{\"op\":\"add\",\"path\":\"/sensitivity\",\"value\":0.7}]");
        // the suggestion is itself a patch that applies
        TrackerRequest patched = apply("[{\"op\":\"add\",\"path\":\"/speaker\",\"value\":\"agent\"},"
                + "{\"op\":\"add\",\"path\":\"/sensitivity\",\"value\":0.7}]");
        assertThat(patched.speaker()).isEqualTo("agent");
        assertThat(patched.sensitivity()).isEqualTo(0.7);
        // nothing to suggest for an object of no tracker member
        assertThatThrownBy(() -> TrackerPatch.parse(json.readTree("{\"colour\":\"red\"}"), json))
                .hasMessageEndingWith("was an object");
    }
}
