package io.opentrackers.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

/**
 * A violation always names its field and the reason: the OpenAPI document requires both in a problem's
 * {@code errors[]} and the AsyncAPI document in a stream's error notice, so one built without them fails where it is
 * built rather than reaching a client without them.
 */
class FieldViolationTest {

    @Test
    void aViolationWithoutFieldOrReasonCannotBeBuilt() {
        assertThatNullPointerException().isThrownBy(() -> FieldViolation.of(null, "is required"))
                .withMessageContaining("field");
        assertThatNullPointerException().isThrownBy(() -> FieldViolation.of("name", null))
                .withMessageContaining("why");
    }

    @Test
    void itDescribesItselfByFieldReasonAndItem() {
        assertThat(FieldViolation.of("name", "is required").describe()).isEqualTo("name: is required");
        assertThat(FieldViolation.of("name", "is required").atIndex(2).describe())
                .isEqualTo("item 2: name: is required");
    }
}
