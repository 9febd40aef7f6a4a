package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/** Scalars bind only to fields of their own JSON type, also in a mapper rebuilt the way streaming rebuilds it. */
class StrictJsonConfigurationTest {

    record Payload(String content, Boolean enableAllTrackers, Double sensitivity, Integer count, List<String> tags) {
    }

    private static final JsonMapper APPLICATION = StrictJsonConfiguration.strict(JsonMapper.builder()).build();
    /** What StreamingHandler's constructor does with the application's mapper. */
    private static final JsonMapper STREAMING = APPLICATION.rebuild()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @ParameterizedTest
    @ValueSource(strings = {"{\"content\":12345}", "{\"content\":1.5}", "{\"content\":true}",
            "{\"enableAllTrackers\":\"false\"}", "{\"enableAllTrackers\":0}", "{\"enableAllTrackers\":\"\"}",
            "{\"sensitivity\":\"0.5\"}", "{\"sensitivity\":true}", "{\"count\":\"3\"}", "{\"count\":1.5}",
            "{\"tags\":[1]}"})
    void scalarsOfAnotherTypeAreRefused(String json) {
        for (JsonMapper mapper : List.of(APPLICATION, STREAMING)) {
            assertThatThrownBy(() -> mapper.readValue(json, Payload.class)).isInstanceOf(MismatchedInputException.class);
        }
    }

    /**
     * A number or a boolean where a string belongs is named by its kind, as the service's own checks name it (a
     * tracker's {@code "name": 42}: "must be a string, was a number"); a token or a message's content of 42 read
     * "was '42'" until 2026-11-29. A value of the right kind in the wrong form is quoted.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"content":12345}             | must be a string, was a number
            {"content":1.5}               | must be a string, was a number
            {"content":true}              | must be a string, was a boolean
            {"enableAllTrackers":"false"} | must be a boolean (true or false), was a string
            {"count":"3"}                 | must be a whole number, was a string
            {"count":1.5}                 | must be a whole number, was '1.5'
            """)
    void aRefusedScalarIsNamedByItsKindOrQuoted(String json, String reason) {
        for (JsonMapper mapper : List.of(APPLICATION, STREAMING)) {
            MismatchedInputException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    MismatchedInputException.class, () -> mapper.readValue(json, Payload.class));
            assertThat(io.opentrackers.common.JsonErrors.reason(refused)).as(json).isEqualTo(reason);
        }
    }

    @Test
    void valuesOfTheirOwnTypeAndIntegersForDecimalsAreRead() {
        String json = "{\"content\":\"hi\",\"enableAllTrackers\":false,\"sensitivity\":1,\"count\":3,\"tags\":[\"a\"]}";
        for (JsonMapper mapper : List.of(APPLICATION, STREAMING)) {
            assertThat(mapper.readValue(json, Payload.class))
                    .isEqualTo(new Payload("hi", false, 1.0, 3, List.of("a")));
        }
    }
}
