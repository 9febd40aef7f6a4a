package io.opentrackers.job;

import io.swagger.v3.oas.annotations.media.Schema;
import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.tracker.TrackerReference;
import java.util.List;

/**
 * Body of {@code POST /v1/process/text} and {@code PUT /v1/process/text/{conversationId}} (api.md "Async API").
 *
 * @param trackers          inline {@code {name, vocabulary}} trackers and/or {@code {id}} references
 * @param enableAllTrackers how {@code trackers} combine with the account's trackers: see TrackerSelection
 */
record ProcessTextRequest(List<IncomingMessage> messages, String name, String webhookUrl,
                          List<TrackerReference> trackers, Boolean enableAllTrackers) {

    @Schema(name = "ProcessTextAccepted")
    record Accepted(String conversationId, String jobId) {
    }
}
