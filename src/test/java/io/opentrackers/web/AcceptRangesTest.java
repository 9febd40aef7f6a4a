package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;

/** RFC 9110 section 12.5.1's reading of {@code Accept}, as the 406 of {@link RefusedRepresentations} depends on it. */
class AcceptRangesTest {

    @ParameterizedTest(name = "{0} gives application/json {1}")
    @CsvSource(delimiter = '|', textBlock = """
            application/json                          | 1.0
            */*                                       | 1.0
            application/*                             | 1.0
            application/json;q=0.4                    | 0.4
            application/json; charset=utf-8           | 1.0
            application/json;q=0                      | 0.0
            */*;q=0                                   | 0.0
            application/json;q=0, */*                 | 0.0
            */*;q=0, application/json;q=0.5           | 0.5
            application/*;q=0, */*                    | 0.0
            text/html                                 | 0.0
            application/problem+json                  | 0.0
            application/json;q=0.2, application/json  | 1.0
            """)
    void theMostSpecificRangesGiveTheQuality(String accept, double quality) {
        assertThat(AcceptRanges.quality(AcceptRanges.of(List.of(accept)), MediaType.APPLICATION_JSON))
                .isEqualTo(quality);
    }

    @ParameterizedTest(name = "{0} refuses JSON outright: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            application/json;q=0                            | true
            */*;q=0                                         | true
            application/json;q=0, text/html                 | true
            application/json;q=0, application/problem+json  | false
            application/json;q=0, */*                       | false
            text/html                                       | false
            application/problem+json                        | false
            """)
    void aClientThatRefusedJsonOutrightGetsNoProblemBody(String accept, boolean refused) {
        assertThat(AcceptRanges.refuseJson(AcceptRanges.of(List.of(accept)))).isEqualTo(refused);
    }
}
