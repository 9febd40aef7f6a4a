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
    void aPathOfTheApiInOtherLetterCaseOrWithATrailingSlashIsNamedWithItsIds() {
        assertThat(paths.hint("/v1/manage/Trackers"))
                .hasValue("Paths are case-sensitive: did you mean /v1/manage/trackers?");
        assertThat(paths.hint("/V1/Manage/Trackers/Bulk"))
                .hasValue("Paths are case-sensitive: did you mean /v1/manage/trackers/bulk?");
        assertThat(paths.hint("/V1/MANAGE/TRACKERS/3F1C-AB"))
                .hasValue("Paths are case-sensitive: did you mean /v1/manage/trackers/3F1C-AB?");
        assertThat(paths.hint("/v1/Conversations/3F1C/Trackers"))
                .hasValue("Paths are case-sensitive: did you mean /v1/conversations/3F1C/trackers?");
        assertThat(paths.hint("/v1/manage/trackers/"))
                .hasValue("Paths take no trailing /: did you mean /v1/manage/trackers?");
        assertThat(paths.hint("/v1/manage/trackerz")).isEmpty();
        // the operators' paths are not offered to whoever guesses
        assertThat(paths.hint("/Admin/Accounts")).isEmpty();
    }

    @Test
    void symblsMediaUploadsAndInsightsSayWhyTheyAreNotHere() {
        assertThat(paths.hint("/v1/process/audio")).hasValue("This service reads text and has no speech recognition, "
                + "so it takes no audio: transcribe the recording and send the text with POST /v1/process/text (JSON, "
                + "WebVTT or SRT).");
        assertThat(paths.hint("/v1/process/Video/url")).get().asString().contains("takes no video");
        assertThat(paths.hint("/v1/conversations/3f1c/topics")).hasValue("This service finds tracker hits only and "
                + "provides no topics; the conversation's hits: GET /v1/conversations/3f1c/trackers.");
        assertThat(paths.hint("/v1/conversations/3f1c/Summary/")).hasValue("This service finds tracker hits only and "
                + "provides no summaries; the conversation's hits: GET /v1/conversations/3f1c/trackers.");
        assertThat(paths.hint("/v1/conversations/3f1c/comprehensive-action-items")).get().asString()
                .contains("provides no action items");
        assertThat(paths.hint("/v1/conversations/3f1c/transcript")).hasValue("Symbl's formatted transcript is not "
                + "provided; the conversation's messages: GET /v1/conversations/3f1c/messages.");
    }
}
