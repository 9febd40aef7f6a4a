package io.opentrackers.job;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /v1/job/{jobId}}: {@code id} and {@code status} as Symbl documented them; {@code conversationId},
 * {@code progress} (sentence-level messages matched / to match), for failed jobs {@code error}, and
 * {@code warnings} (what limited the result, e.g. a tracker's seconds window on messages without times) are ours.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record JobView(@Schema(requiredMode = REQUIRED) String id,
        @Schema(allowableValues = {"scheduled", "in_progress", "completed", "failed"}, requiredMode = REQUIRED)
        String status,
        @Schema(requiredMode = REQUIRED) String conversationId, @Schema(requiredMode = REQUIRED) Progress progress,
        @Schema(description = "Why the job failed; only with `failed`") String error,
        @Schema(description = "What limited the result; absent when nothing did") List<String> warnings) {

    @Schema(name = "JobProgress", description = "Sentence-level messages matched (done) out of total")
    record Progress(@Schema(requiredMode = REQUIRED) int done, @Schema(requiredMode = REQUIRED) int total) {
    }
}
