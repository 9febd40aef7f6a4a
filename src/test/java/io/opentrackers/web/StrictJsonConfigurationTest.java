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

    @Test
    void valuesOfTheirOwnTypeAndIntegersForDecimalsAreRead() {
        String json = "{\"content\":\"hi\",\"enableAllTrackers\":false,\"sensitivity\":1,\"count\":3,\"tags\":[\"a\"]}";
        for (JsonMapper mapper : List.of(APPLICATION, STREAMING)) {
            assertThat(mapper.readValue(json, Payload.class))
                    .isEqualTo(new Payload("hi", false, 1.0, 3, List.of("a")));
        }
    }
}
