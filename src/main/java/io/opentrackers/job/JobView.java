package io.opentrackers.job;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /v1/job/{jobId}}: {@code id} and {@code status} as Symbl documented them; {@code conversationId},
 * {@code progress} (sentence-level messages matched / to match) and, for failed jobs, {@code error} are ours.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobView(String id,
        @Schema(allowableValues = {"scheduled", "in_progress", "completed", "failed"}) String status,
        String conversationId, Progress progress, String error) {

    @Schema(name = "JobProgress", description = "Sentence-level messages matched (done) out of total")
    record Progress(int done, int total) {
    }
}
