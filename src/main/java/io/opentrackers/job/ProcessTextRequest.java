package io.opentrackers.job;

import io.opentrackers.conversation.Speaker;
import io.opentrackers.tracker.TrackerReference;
import java.util.List;

/**
 * Body of {@code POST /v1/process/text} and {@code PUT /v1/process/text/{conversationId}} (api.md "Async API").
 *
 * @param trackers          inline {@code {name, vocabulary}} trackers and/or {@code {id}} references
 * @param enableAllTrackers adds all the account's trackers; when neither this nor {@code trackers} is given,
 *                          all the account's trackers apply
 */
record ProcessTextRequest(List<MessageRequest> messages, String name, String webhookUrl,
                          List<TrackerReference> trackers, Boolean enableAllTrackers) {

    record MessageRequest(Payload payload, Speaker from, MessageDuration duration) {
    }

    record Payload(String content, String contentType) {
    }

    /** ISO-8601 date-times, kept as text so that a bad value is reported with its field name. */
    record MessageDuration(String startTime, String endTime) {
    }

    record Accepted(String conversationId, String jobId) {
    }
}
