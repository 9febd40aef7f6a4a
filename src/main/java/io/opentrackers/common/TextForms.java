package io.opentrackers.common;

import java.text.Normalizer;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

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
 * <li>{@link #key} is what two texts are compared by: the normal form, case-folded;</li>
 * <li>{@link #hiddenCharacter} finds, inside a text, a format character that shows as nothing where it stands
 * ({@code "Pricing\u200bObjection"} reads as {@code "PricingObjection"}), for the rules that refuse such text
 * instead of storing a second spelling of what a reader sees.</li>
 * </ul>
 */
public final class TextForms {

    private static final int ZWNJ = 0x200C;
    private static final int ZWJ = 0x200D;
    private static final int MONGOLIAN_VOWEL_SEPARATOR = 0x180E;
    private static final int EMOJI_PRESENTATION = 0xFE0F;
    private static final int WAVING_BLACK_FLAG = 0x1F3F4;
    /** Scripts whose letters join or form conjuncts, so that a joiner or non-joiner changes how they are drawn. */
    private static final Set<Character.UnicodeScript> JOINING_SCRIPTS = EnumSet.of(Character.UnicodeScript.ARABIC,
            Character.UnicodeScript.SYRIAC, Character.UnicodeScript.NKO, Character.UnicodeScript.MONGOLIAN,
            Character.UnicodeScript.MANDAIC, Character.UnicodeScript.ADLAM, Character.UnicodeScript.DEVANAGARI,
            Character.UnicodeScript.BENGALI, Character.UnicodeScript.GURMUKHI, Character.UnicodeScript.GUJARATI,
            Character.UnicodeScript.ORIYA, Character.UnicodeScript.TAMIL, Character.UnicodeScript.TELUGU,
            Character.UnicodeScript.KANNADA, Character.UnicodeScript.MALAYALAM, Character.UnicodeScript.SINHALA,
            Character.UnicodeScript.TIBETAN, Character.UnicodeScript.MYANMAR, Character.UnicodeScript.KHMER,
            Character.UnicodeScript.BALINESE, Character.UnicodeScript.JAVANESE);

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

    /**
     * {@code text} without invisible characters at either end: whitespace, and format characters that do not show
     * there (the few that do, such as the tags ending a flag emoji, are kept; see {@link #hiddenCharacter}). Null
     * stays null.
     */
    public static String trim(String text) {
        if (text == null) {
            return null;
        }
        int start = 0;
        int end = text.length();
        while (start < end && hiddenAt(text, start)) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && hiddenAt(text, end - Character.charCount(text.codePointBefore(end)))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    private static boolean hiddenAt(String text, int i) {
        int cp = text.codePointAt(i);
        return isSpace(cp) || (Character.getType(cp) == Character.FORMAT && !shows(text, i, cp));
    }

    /** True when nothing visible is left after {@link #trim} (null is not blank: it is absent). */
    public static boolean isBlank(String text) {
        return text != null && trim(text).isEmpty();
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

    /**
     * Where {@code text} holds a format character (Unicode category Cf) that shows as nothing where it stands, or -1:
     * the zero-width space U+200B, the word joiner U+2060, the byte order mark U+FEFF, the soft hyphen U+00AD,
     * direction marks, embeddings and isolates. Format characters that do show are not reported: a zero-width joiner
     * or non-joiner (U+200D, U+200C) between the letters of a script that joins or combines them (Arabic, Persian,
     * Syriac, Mongolian, the Indic scripts …), a joiner inside an emoji sequence (the woman and laptop of a
     * technologist), the tag characters of a flag, and the signs that are drawn over the digits after them (U+0600 …).
     * Elsewhere a joiner changes nothing a reader sees ({@code "can\u200dcel"} reads as {@code "cancel"}), so it is
     * reported like the others.
     */
    public static int hiddenCharacter(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!isSpace(cp) && hiddenAt(text, i)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** {@code text} without the characters {@link #hiddenCharacter} reports: what a reader sees of it. */
    public static String withoutHiddenCharacters(String text) {
        String visible = text;
        for (int i = hiddenCharacter(visible); i >= 0; i = hiddenCharacter(visible)) {
            visible = visible.substring(0, i) + visible.substring(i + Character.charCount(visible.codePointAt(i)));
        }
        return visible;
    }

    /** Whether the format character {@code cp} at {@code i} changes what a reader sees there (see above). */
    private static boolean shows(String text, int i, int cp) {
        if ((cp >= 0x0600 && cp <= 0x0605) || cp == 0x06DD || cp == 0x070F || cp == 0x08E2 || cp == 0x110BD
                || cp == 0x110CD) {
            return true; // prepended concatenation marks: drawn, spanning the digits that follow
        }
        int before = i == 0 ? -1 : text.codePointBefore(i);
        if (cp >= 0xE0020 && cp <= 0xE007F) { // tags: the subdivision flags (England, Scotland, Wales)
            return before == WAVING_BLACK_FLAG || (before >= 0xE0020 && before <= 0xE007E);
        }
        int next = i + Character.charCount(cp) < text.length() ? text.codePointAt(i + Character.charCount(cp)) : -1;
        if (before < 0 || next < 0) {
            return false;
        }
        if (cp == ZWJ && (Character.getType(before) == Character.OTHER_SYMBOL
                || Character.getType(before) == Character.MODIFIER_SYMBOL || before == EMOJI_PRESENTATION)
                && Character.getType(next) == Character.OTHER_SYMBOL) {
            return true; // an emoji sequence: woman + ZWJ + laptop is one picture
        }
        return (cp == ZWJ || cp == ZWNJ || cp == MONGOLIAN_VOWEL_SEPARATOR) && isLetterOrMark(next)
                && JOINING_SCRIPTS.contains(scriptBefore(text, i));
    }

    private static boolean isLetterOrMark(int cp) {
        return Character.isLetter(cp) || switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> true;
            default -> false;
        };
    }

    /** The script of the letter before {@code i}, looking through the combining marks on it (script Inherited). */
    private static Character.UnicodeScript scriptBefore(String text, int i) {
        for (int j = i; j > 0; ) {
            int cp = text.codePointBefore(j);
            j -= Character.charCount(cp);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script != Character.UnicodeScript.INHERITED) {
                return isLetterOrMark(cp) ? script : Character.UnicodeScript.COMMON;
            }
        }
        return Character.UnicodeScript.COMMON;
    }
}
