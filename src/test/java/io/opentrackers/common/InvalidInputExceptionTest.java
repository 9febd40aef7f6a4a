package io.opentrackers.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How many violations a 400 lists: all up to the bound, then every item's first before any item's second. */
class InvalidInputExceptionTest {

    @Test
    void upToTheBoundEveryViolationIsListedInOrder() {
        List<FieldViolation> violations = IntStream.range(0, InvalidInputException.MAX_LISTED)
                .mapToObj(i -> FieldViolation.of("vocabulary[" + i + "]", "bad")).toList();

        InvalidInputException e = new InvalidInputException(violations);

        assertThat(e.violations()).isEqualTo(violations);
        assertThat(e.getMessage()).startsWith("vocabulary[0]: bad; vocabulary[1]: bad")
                .endsWith("vocabulary[999]: bad").doesNotContain("more");
    }

    @Test
    void beyondTheBoundTheFirstAreListedAndTheRestCounted() {
        List<FieldViolation> violations = IntStream.range(0, 5000)
                .mapToObj(i -> FieldViolation.of("vocabulary[" + i + "]", "bad")).toList();

        InvalidInputException e = new InvalidInputException(violations);

        assertThat(e.violations()).isEqualTo(violations.subList(0, 1000));
        assertThat(e.getMessage()).endsWith("vocabulary[999]: bad; and 4000 more (5000 in all; only the first 1000 "
                + "are listed)");
    }

    /** Item 0 alone breaks 3,000 rules: items 1 and 2 must still be named, and the order is kept. */
    @Test
    void everyItemKeepsItsFirstViolationBeforeAnyItemGetsASecond() {
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            violations.add(FieldViolation.of("vocabulary[" + i + "]", "bad").atIndex(0));
        }
        violations.add(FieldViolation.of("name", "is required").atIndex(1));
        violations.add(FieldViolation.of("name", "is required").atIndex(2));
        violations.add(FieldViolation.of("vocabulary", "is required").atIndex(2));

        List<FieldViolation> listed = new InvalidInputException(violations).violations();

        assertThat(listed).hasSize(1000);
        // items 1 and 2 take two of the places item 0's later violations would have had; item 2's second waits
        assertThat(listed.subList(0, 998)).isEqualTo(violations.subList(0, 998));
        assertThat(listed.subList(998, 1000)).containsExactly(violations.get(3000), violations.get(3001));
    }
}
