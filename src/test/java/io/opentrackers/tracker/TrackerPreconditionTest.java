package io.opentrackers.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.StaleRevisionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading If-Match (RFC 9110's grammar) and comparing it with a tracker's entity tag, without Spring. */
class TrackerPreconditionTest {

    private static final Tracker AT_VERSION_3 = new Tracker("5b0a", null, null, 3, null, null);

    @Test
    void theEntityTagIsTheQuotedIdAndVersion() {
        assertThat(TrackerPrecondition.etagOf(AT_VERSION_3)).isEqualTo("\"5b0a.v3\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"5b0a.v3\"", "*", " * ", "\"5b0a.v2\", \"5b0a.v3\"", "\"a,b\",\"5b0a.v3\"",
            ", \"5b0a.v3\" ,", "W/\"5b0a.v2\", \"5b0a.v3\""})
    void aTagOfTheCurrentVersionOrAStarMatches(String ifMatch) {
        assertThatCode(() -> TrackerPrecondition.parse(ifMatch).check(AT_VERSION_3)).doesNotThrowAnyException();
    }

    @Test
    void noHeaderIsNoCondition() {
        assertThat(TrackerPrecondition.parse(null).isNone()).isTrue();
        assertThat(TrackerPrecondition.parse("*").isNone()).isFalse();
    }

    @Test
    void anotherVersionFailsNamingBothVersions() {
        assertThatThrownBy(() -> TrackerPrecondition.parse("\"5b0a.v2\"").check(AT_VERSION_3))
                .isInstanceOfSatisfying(StaleRevisionException.class, e -> {
                    assertThat(e.currentVersion()).isEqualTo(3);
                    assertThat(e.currentTag()).isEqualTo("\"5b0a.v3\"");
                })
                .hasMessageContaining("If-Match names version 2, it is at version 3 now");
    }

    @Test
    void aWeakTagNeverMatchesAndTheMessageSaysWhy() {
        assertThatThrownBy(() -> TrackerPrecondition.parse("W/\"5b0a.v3\"").check(AT_VERSION_3))
                .isInstanceOf(StaleRevisionException.class).hasMessageContaining("only weak entity tags");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "3", "v3", "5b0a.v3", "\"5b0a.v3", "* , \"5b0a.v3\"", "\"a\" \"b\"", "W/",
            "w/\"5b0a.v3\"", "\"with space\"", "\"a\"x"})
    void anythingElseIsRefusedNamingTheHeader(String ifMatch) {
        assertThatThrownBy(() -> TrackerPrecondition.parse(ifMatch))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("If-Match"));
    }
}
