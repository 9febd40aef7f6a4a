package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.common.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A transcript's {@code speakerRoles} query parameter: its two forms and its refusals, each naming the field. */
class SpeakerRolesParameterTest {

    @Test
    void namesAndRolesAreListedWithCommasAndColons() {
        List<FieldViolation> violations = new ArrayList<>();
        assertThat(SpeakerRolesParameter.parse("Ann Lee:agent, Bob : customer,Dr. Who: ok:customer", violations))
                .containsExactly(Map.entry("Ann Lee", "agent"), Map.entry("Bob", "customer"),
                        Map.entry("Dr. Who: ok", "customer"));
        assertThat(violations).isEmpty();
        assertThat(SpeakerRolesParameter.parse(null, violations)).isNull();
    }

    @Test
    void aNameWithACommaIsGivenAsTheJsonBodysObject() {
        List<FieldViolation> violations = new ArrayList<>();
        assertThat(SpeakerRolesParameter.parse("{\"Lee, Ann\": \"agent\", \"Bob\": \"customer\"}", violations))
                .containsExactly(Map.entry("Lee, Ann", "agent"), Map.entry("Bob", "customer"));
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|speakerRoles: must name at least one speaker, as Name:agent or Name:customer (Ann Lee:agent,Bob:customer); leave it out to give no roles",
            "Ann|speakerRoles: 'Ann' must be Name:agent or Name:customer; speakers are separated by commas (Ann Lee:agent,Bob:customer)",
            "Ann:agent,|speakerRoles: '' must be Name:agent or Name:customer; speakers are separated by commas (Ann Lee:agent,Bob:customer)",
            "Ann:boss|speakerRoles.Ann: must be agent or customer, was 'boss'",
            "Ann:Agent|speakerRoles.Ann: must be agent or customer, was 'Agent'",
            ":agent|speakerRoles: a speaker id or name must not be blank",
            "Ann:agent,Ann:customer|speakerRoles: 'Ann' is named more than once",
            "{\"Ann\": 1}|speakerRoles.Ann: must be agent or customer, was 1",
            "{Ann: agent}|speakerRoles: starts with '{' but is not a JSON object of speaker names and roles, such as {\"Lee, Ann\":\"agent\"}"})
    void aMalformedValueIsRefusedSayingHowToWriteIt(String value, String problem) {
        List<FieldViolation> violations = new ArrayList<>();
        assertThat(SpeakerRolesParameter.parse(value, violations)).isNull();
        assertThat(violations).extracting(FieldViolation::describe).containsExactly(problem);
    }
}
