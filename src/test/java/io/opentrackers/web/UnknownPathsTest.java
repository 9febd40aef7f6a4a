package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a 404 adds for a path the API has in other letter case, and for Symbl's endpoints this service lacks. */
class UnknownPathsTest {

    private final UnknownPaths paths = new UnknownPaths(() -> List.of("/v1/manage/trackers",
            "/v1/manage/trackers/bulk", "/v1/manage/trackers/{id:(?!bulk$).+}", "/v1/conversations/{conversationId}",
            "/v1/conversations/{conversationId}/trackers", "/admin/accounts"));

    @Test
    void aPathOfTheApiInOtherLetterCaseIsNamed() {
        assertThat(paths.hint("/v1/manage/Trackers"))
                .hasValue("Paths are case-sensitive: did you mean /v1/manage/trackers?");
        assertThat(paths.hint("/V1/Manage/Trackers/Bulk"))
                .hasValue("Paths are case-sensitive: did you mean /v1/manage/trackers/bulk?");
        assertThat(paths.hint("/v1/Conversations/3F1C/Trackers"))
                .hasValue("Paths are case-sensitive: did you mean /v1/conversations/{conversationId}/trackers?");
        assertThat(paths.hint("/v1/manage/trackerz")).isEmpty();
        // the operators' paths are not offered to whoever guesses
        assertThat(paths.hint("/Admin/Accounts")).isEmpty();
    }

    @Test
    void symblsMediaUploadsAndInsightsSayWhyTheyAreNotHere() {
        assertThat(paths.hint("/v1/process/audio")).hasValue("This service reads text and has no speech recognition, "
                + "so it takes no audio: transcribe the recording and send the text with POST /v1/process/text (JSON, "
                + "WebVTT or SRT).");
        assertThat(paths.hint("/v1/process/video/url")).get().asString().contains("takes no video");
        assertThat(paths.hint("/v1/conversations/3f1c/topics")).hasValue("This service finds tracker hits only; "
                + "Symbl's topics are not provided. The conversation's hits: GET /v1/conversations/3f1c/trackers.");
        assertThat(paths.hint("/v1/conversations/3f1c/action-items/")).get().asString()
                .contains("Symbl's action-items").endsWith("GET /v1/conversations/3f1c/trackers.");
    }
}
