package io.opentrackers.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /v1/job/{jobId}}: {@code id} and {@code status} as Symbl documented them; {@code conversationId},
 * {@code progress} (sentence-level messages matched / to match) and, for failed jobs, {@code error} are ours.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobView(String id, String status, String conversationId, Progress progress, String error) {

    record Progress(int done, int total) {
    }
}
