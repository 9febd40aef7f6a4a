package io.opentrackers.job;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /v1/job/{jobId}}: {@code id} and {@code status} as Symbl documented them; {@code conversationId},
 * {@code progress} (sentence-level messages matched / to match), for failed jobs {@code error}, and
 * {@code warnings} (what limited the result, e.g. a tracker's seconds window on messages without times) are ours.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record JobView(String id,
        @Schema(allowableValues = {"scheduled", "in_progress", "completed", "failed"}) String status,
        String conversationId, Progress progress, String error,
        @Schema(description = "What limited the result; absent when nothing did") List<String> warnings) {

    @Schema(name = "JobProgress", description = "Sentence-level messages matched (done) out of total")
    record Progress(int done, int total) {
    }
}
