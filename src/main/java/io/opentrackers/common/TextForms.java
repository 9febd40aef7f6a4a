package io.opentrackers.common;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one rule for how people's text is trimmed, stored and compared (names, phrases, example sentences, appIds).
 * A reader cannot see the difference between {@code "Pricing"}, {@code "Pricing\u00a0"} and {@code "\u200bPricing"},
 * nor between {@code "café"} written with one code point or with {@code e} and a combining accent, so the service
 * must not treat them as different either:
 * <ul>
 * <li>{@link #trim} removes, at both ends, whitespace of any script (what {@link String#strip} removes, plus the
 * no-break spaces U+00A0, U+2007 and U+202F, which {@link Character#isWhitespace} excludes) and format characters
 * (zero-width space U+200B, byte order mark U+FEFF, direction marks …);</li>
 * <li>{@link #normalize} is the form text is stored in: trimmed, NFC, and every run of whitespace (no-break spaces
 * included) one plain space;</li>
 * <li>{@link #key} is what two texts are compared by: the normal form, case-folded.</li>
 * </ul>
 */
public final class TextForms {

    private TextForms() {
    }

    /** Whitespace of any script, no-break spaces included (space separators, line and paragraph separators). */
    public static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /** A character nobody sees at the edge of a text: whitespace (see {@link #isSpace}) or a format character. */
    public static boolean isInvisible(int codePoint) {
        return isSpace(codePoint) || Character.getType(codePoint) == Character.FORMAT;
    }

    /** {@code text} without invisible characters at either end; null stays null. */
    public static String trim(String text) {
        if (text == null) {
            return null;
        }
        int start = 0;
        int end = text.length();
        while (start < end && isInvisible(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isInvisible(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    /** True when nothing visible is left after {@link #trim} (null is not blank: it is absent). */
    public static boolean isBlank(String text) {
        return text != null && trim(text).isEmpty();
    }

    /**
     * {@code text} {@link #trim trimmed} and in NFC, its case and inner spacing kept: the form of names, where
     * {@code "Cafe\u0301"} and {@code "Caf\u00e9"} are one name but {@code "Price"} and {@code "price"} are two.
     * Null stays null.
     */
    public static String compose(String text) {
        return text == null ? null : Normalizer.normalize(trim(text), Normalizer.Form.NFC);
    }

    /** The stored form: trimmed, NFC, each run of whitespace one space. Null stays null. */
    public static String normalize(String text) {
        if (text == null) {
            return null;
        }
        String composed = Normalizer.normalize(trim(text), Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(composed.length());
        boolean inSpace = false;
        for (int i = 0; i < composed.length(); ) {
            int cp = composed.codePointAt(i);
            i += Character.charCount(cp);
            if (isSpace(cp)) {
                inSpace = true;
                continue;
            }
            if (inSpace) {
                out.append(' ');
                inSpace = false;
            }
            out.appendCodePoint(cp);
        }
        return out.toString();
    }

    /**
     * What two texts are compared by: the {@link #normalize normal form}, case-folded. Java has no full case folding;
     * upper- then lower-casing (root locale) is its usual stand-in and folds {@code ß}/{@code SS} and the final sigma
     * alike. NFC once more, since lower-casing can decompose ({@code İ} becomes {@code i} and a combining dot).
     */
    public static String key(String text) {
        if (text == null) {
            return null;
        }
        String folded = normalize(text).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFC);
    }
}
