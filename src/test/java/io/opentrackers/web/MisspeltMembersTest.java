package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.Misspellings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every misspelt member of a document Jackson binds is named in one answer, by its path, whether the document is read
 * from text (request bodies) or from a tree (streaming frames), at the top or deep in lists and nested objects.
 */
class MisspeltMembersTest {

    record Speaker(String userId, String name) {
    }

    record Payload(String content) {
    }

    record Message(Payload payload, Speaker from) {
    }

    record Job(List<Message> messages, String webhookUrl, Map<String, String> speakerRoles, String name) {
    }

    private static final JsonMapper APPLICATION = StrictJsonConfiguration.strict(JsonMapper.builder()).build();
    /** What StreamingHandler's constructor does with the application's mapper. */
    private static final JsonMapper STREAMING = APPLICATION.rebuild()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static final String JOB = """
            {"webhookURL": "https://example.com/hook", "confidenceThreshold": 0.6,
             "messages": [{"payload": {"content": "Hello"}, "from": {"userid": "ann@example.com"}},
                          {"Payload": {"content": "Bye"}, "from": {"name": "Bob", "user_id": "bob@example.com"}}],
             "speakerroles": {"Ann": "agent"}, "name": "Call"}""";
    private static final List<String> JOB_TYPOS = List.of(
            "webhookURL: is not a known field; did you mean webhookUrl?",
            "messages[0].from.userid: is not a known field; did you mean userId?",
            "messages[1].Payload: is not a known field; did you mean payload?",
            "messages[1].from.user_id: is not a known field; did you mean userId?",
            "speakerroles: is not a known field; did you mean speakerRoles?");

    @Test
    void everyMisspeltMemberOfABodyIsNamedByItsPath() {
        for (JsonMapper mapper : List.of(APPLICATION, STREAMING)) {
            assertThat(violations(() -> mapper.readValue(JOB, Job.class)))
                    .containsExactlyInAnyOrderElementsOf(JOB_TYPOS);
        }
    }

    @Test
    void aFrameReadFromATreeNamesThemAlike() {
        assertThat(violations(() -> STREAMING.treeToValue(STREAMING.readTree(JOB), Job.class)))
                .containsExactlyInAnyOrderElementsOf(JOB_TYPOS);
    }

    @Test
    void aListOfObjectsAsTheWholeDocumentNamesThemToo() {
        assertThat(violations(() -> APPLICATION.readValue("[{\"Name\": \"a\"}, {\"name\": \"b\", \"Messages\": []}]",
                APPLICATION.getTypeFactory().constructCollectionType(List.class, Job.class))))
                .containsExactlyInAnyOrder(
                        "[0].Name: is not a known field; did you mean name?",
                        "[1].Messages: is not a known field; did you mean messages?");
    }

    @Test
    void otherUnknownMembersAreStillIgnored() {
        Job job = STREAMING.readValue("""
                {"name": "Call", "detectPhrases": true, "messages": [{"payload": {"content": "Hi", "contentType":
                 "text/plain"}, "from": {"id": "1", "name": "Ann"}, "duration": {"startTime": "x"}}]}""", Job.class);
        assertThat(job.name()).isEqualTo("Call");
        assertThat(job.messages().get(0).from().name()).isEqualTo("Ann");
    }

    private static List<String> violations(Runnable read) {
        Misspellings.MisspeltMembers error = catchThrowableOfType(Misspellings.MisspeltMembers.class, read::run);
        assertThat(error).as("a MisspeltMembers").isNotNull();
        return error.violations().stream().map(FieldViolation::describe).toList();
    }
}
