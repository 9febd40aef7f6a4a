package io.opentrackers.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reason a malformed body gets is about the JSON the client sent: where it broke, and never a switch of the
 * service's parser ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"), which no client can turn on.
 */
class JsonErrorsTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The offending character's column (1-based); the parser reports where it stopped, at it or just after it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"sensitivity": NaN}       | Non-standard token 'NaN'                            | 17
            {"sensitivity": +1}        | JSON spec does not allow numbers to have plus signs | 17
            /* a comment */ {}         | maybe a (non-standard) comment?                     | 1
            {"name": 'Pricing'}        | Unexpected character (''' (code 39))                | 10
            {"vocabulary": ["a",]}     | Unexpected character (']' (code 93))                | 21
            {"name": "x", "name": "y"} | the member "name" is given twice in one object      | 15
            """)
    void aMalformedDocumentIsDescribedByWhereItBrokeNotByTheParsersSettings(String document, String what,
            int column) {
        String reason = JsonErrors.reason(parseError(document));

        assertThat(reason).contains(what)
                .doesNotContain("enable", "Feature", "JsonReadFeature", "not enabled for parser", "`");
        Matcher where = Pattern.compile(" at line 1, column (\\d+)$").matcher(reason);
        assertThat(where.find()).as(reason).isTrue();
        assertThat(Integer.parseInt(where.group(1))).as(reason).isBetween(column, column + 6);
    }

    private static JacksonException parseError(String document) {
        return catchThrowableOfType(JacksonException.class,
                () -> JSON.readTree(document.getBytes(StandardCharsets.UTF_8)));
    }
}
