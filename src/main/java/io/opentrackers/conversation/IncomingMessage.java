package io.opentrackers.conversation;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A message as every entry point receives it (api.md: the async API's message shape, which {@code /v1/match}
 * and streaming {@code message_request}s share). {@link MessageRules} checks it. Members it does not read are ignored,
 * as Symbl's clients send some, except a typo of one it reads ({@code "from": {"userid": ...}}), which is refused.
 *
 * @param id       the client's id of the message; only {@code /v1/match} echoes it back (stored messages get ids
 *                 of their own)
 * @param duration ISO-8601 date-times, kept as text so that a bad value is reported with its field name
 * @param isFinal  streaming only: {@code false} marks an interim transcript; absent means final
 */
public record IncomingMessage(String id, @Schema(requiredMode = REQUIRED) Payload payload, Speaker from,
        Duration duration, Boolean isFinal) {

    @Schema(name = "MessagePayload")
    public record Payload(@Schema(requiredMode = REQUIRED) String content,
            @Schema(description = "If given, text/plain") String contentType) {
    }

    @Schema(name = "MessageDuration", description = "ISO-8601 date-times with offset")
    public record Duration(String startTime, String endTime) {
    }

    public boolean finalText() {
        return isFinal == null || isFinal;
    }
}
