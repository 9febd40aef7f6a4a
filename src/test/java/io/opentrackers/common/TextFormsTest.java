package io.opentrackers.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextFormsTest {

    /** What String.strip leaves (no-break spaces, format characters) and what it removes alike. */
    @ParameterizedTest
    @ValueSource(strings = {" ", "\t\n", "\u00a0", "\u2007", "\u202f", "\u200b", "\ufeff", "\u200e", "\u2028",
            "\u3000", "\u00a0\u200b \u202f"})
    void invisibleTextIsBlank(String text) {
        assertThat(TextForms.isBlank(text)).isTrue();
        assertThat(TextForms.trim(text + "x" + text)).isEqualTo("x");
        assertThat(TextForms.normalize(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "\u00a0x", "a\u200bb", "\uD83D\uDE00"})
    void visibleTextIsNotBlank(String text) {
        assertThat(TextForms.isBlank(text)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "' a\u00a0\u00a0b\t c '|a b c",
            "cafe\u0301|caf\u00e9",
            "'\u200bprice\u00a0list\ufeff'|price list",
            "a\u200bb|a\u200bb"})
    void theStoredFormIsTrimmedComposedAndSingleSpaced(String given, String stored) {
        assertThat(TextForms.normalize(given)).isEqualTo(stored);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a\u00a0b|A  B",
            "cafe\u0301|CAF\u00c9",
            "Stra\u00dfe|STRASSE",
            "\u03c3\u03bf\u03c6\u03bf\u03c2|\u03a3\u039f\u03a6\u039f\u03a3",
            "' Sounds good. '|sounds\u00a0GOOD."})
    void keysAreEqualForTextsThatReadTheSame(String one, String other) {
        assertThat(TextForms.key(one)).isEqualTo(TextForms.key(other));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"ab|a b", "price.|price", "a\u200bb|ab"})
    void keysDifferForTextsThatReadDifferently(String one, String other) {
        assertThat(TextForms.key(one)).isNotEqualTo(TextForms.key(other));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a\u200bb|1", "ab|-1", "a\u200db|1", "ab\u200d|2", "'\ufeffab'|0",
            "\u0915\u094d\u200d\u0937|-1", "\u0628\u064e\u200c\u0628|-1", "\u0628\u200c 1|1",
            "\uD83D\uDC69\u200d\uD83D\uDCBB|-1", "\uD83D\uDC69\u200db|2", "x\uDB40\uDC67|1"})
    void hiddenCharactersAreFormatCharactersThatShowAsNothingWhereTheyStand(String text, int index) {
        assertThat(TextForms.hiddenCharacter(text)).isEqualTo(index);
    }
}
