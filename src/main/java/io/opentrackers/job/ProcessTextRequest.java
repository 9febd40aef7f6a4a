package io.opentrackers.job;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import io.opentrackers.conversation.IncomingMessage;
import io.opentrackers.tracker.TrackerReference;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/process/text} and {@code PUT /v1/process/text/{conversationId}} (api.md "Async API").
 *
 * @param trackers          inline {@code {name, vocabulary}} trackers and/or {@code {id}} references
 * @param enableAllTrackers how {@code trackers} combine with the account's trackers: see TrackerSelection
 * @param speakerRoles      role ({@code agent}/{@code customer}) by speaker {@code userId} or {@code name}, for
 *                          messages without {@code from.role} (a speaker named Agent or Customer needs none)
 */
record ProcessTextRequest(@Schema(requiredMode = REQUIRED) List<IncomingMessage> messages, String name, String webhookUrl,
                          // nullable, as null is read as left out (all the account's trackers), unlike [] (none):
                          // a generated Java client then sends nothing rather than an empty list
                          @Schema(nullable = true) List<TrackerReference> trackers,
                          Boolean enableAllTrackers,
                          @Schema(description = "Extension: role (agent or customer) by speaker userId or name, "
                                  + "for messages without from.role; a speaker named Agent or Customer (any case) "
                                  + "has that role without it", example = "{\"Ann\": \"agent\", \"Bob\": \"customer\"}")
                          Map<String, String> speakerRoles) {

    ProcessTextRequest(List<IncomingMessage> messages, String name, String webhookUrl,
            List<TrackerReference> trackers, Boolean enableAllTrackers) {
        this(messages, name, webhookUrl, trackers, enableAllTrackers, null);
    }

    ProcessTextRequest withWebhookUrl(String url) {
        return new ProcessTextRequest(messages, name, url, trackers, enableAllTrackers, speakerRoles);
    }

    @Schema(name = "ProcessTextAccepted")
    record Accepted(@Schema(requiredMode = REQUIRED) String conversationId,
            @Schema(requiredMode = REQUIRED) String jobId) {
    }
}
