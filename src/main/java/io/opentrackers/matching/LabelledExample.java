package io.opentrackers.matching;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A sentence a user labelled for one tracker: {@code match} true when the tracker should fire on it (a positive
 * example), false when it should not (a negative one). Examples never become vocabulary phrases: they only change
 * how the tracker decides (see {@link ExampleIndex}).
 */
public record LabelledExample(@Schema(requiredMode = REQUIRED) String text,
        @Schema(requiredMode = REQUIRED) boolean match) {
}
