package io.opentrackers.matching;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.tartarus.snowball.ext.EnglishStemmer;

/**
 * Finds literal, case-insensitive, word-bounded occurrences of many phrases in a text, where a word also matches
 * its other forms ("cancelling my subscriptions" contains "cancel my subscription"): words are compared by their
 * English stem (Lucene's Snowball English stemmer, Porter2), the separators between them literally (white space
 * runs of any kind, no-break spaces included, count as one space). Phrases are indexed by the stem of their first
 * word, so a message is scanned once per word instead of once per phrase (25,000 phrases per account would otherwise
 * cost more than the embedding).
 *
 * <p>Text is read as it shows, as a search in a page finds it: a format character (zero-width space U+200B, soft
 * hyphen, word joiner, byte order mark …) shows as nothing, so it neither cuts a word nor counts as a separator
 * ("can\u200bcel" is "cancel"), and a word is compared in NFC, so an {@code e} and a combining accent is {@code é}.
 * Typographic apostrophes and hyphens between words count as the typed ones ("can\u2019t" contains "can't").
 */
final class PhraseFinder {

    /** A phrase to look for, with the caller's reference (e.g. its index in the vocabulary index). */
    record Phrase(String text, int ref) {
    }

    /** An occurrence: the phrase's ref, and where in the text its first occurrence starts and how long it is. */
    record Occurrence(int ref, int offset, int length) {
    }

    /**
     * Words are runs of letters and digits with their combining marks (as before stemming came in: "don't" is "don",
     * "'", "t"), and the format characters inside them, which {@link Visible} then takes out; lower-cased, then
     * stemmed. The analyzer keeps one token stream per thread, so it is shared by all finders.
     */
    private static final Analyzer WORDS = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer words = CharTokenizer.fromTokenCharPredicate(PhraseFinder::isWordCharacter);
            return new TokenStreamComponents(words, new SnowballFilter(new LowerCaseFilter(new Visible(words)),
                    new EnglishStemmer()));
        }
    };

    /** A letter or digit ({@link Character#isLetterOrDigit}), a combining mark, or a format character. */
    private static boolean isWordCharacter(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK,
                    Character.FORMAT -> true;
            default -> false;
        };
    }

    private static boolean isFormat(int cp) {
        return Character.getType(cp) == Character.FORMAT;
    }

    /**
     * A word as it shows: its format characters taken out and the rest in NFC; its range narrowed to what shows, so
     * that an occurrence never starts or ends on an invisible character; a word of format characters alone (a
     * zero-width space between two spaces) is no word.
     */
    private static final class Visible extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
        private final StringBuilder shown = new StringBuilder();

        Visible(TokenStream input) {
            super(input);
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                if (plain(term.buffer(), term.length())) {
                    return true;
                }
                shown.setLength(0);
                int first = -1;
                int end = 0;
                boolean composed = true; // below U+0300 nothing combines
                for (int i = 0; i < term.length(); ) {
                    int cp = Character.codePointAt(term.buffer(), i, term.length());
                    int next = i + Character.charCount(cp);
                    if (!isFormat(cp)) {
                        shown.appendCodePoint(cp);
                        first = first < 0 ? i : first;
                        end = next;
                        composed &= cp < 0x300;
                    }
                    i = next;
                }
                if (first < 0) {
                    continue;
                }
                if (shown.length() != term.length()) {
                    // the tokenizer reads the text as it is, so the word's characters are its offsets, one for one
                    offset.setOffset(offset.startOffset() + first, offset.startOffset() + end);
                }
                String word = composed || Normalizer.isNormalized(shown, Normalizer.Form.NFC) ? null
                        : Normalizer.normalize(shown, Normalizer.Form.NFC);
                if (word != null || shown.length() != term.length()) {
                    term.setEmpty().append(word != null ? word : shown);
                }
                return true;
            }
            return false;
        }

        /** Below U+0300 only the soft hyphen U+00AD is a format character, and nothing combines: the usual word. */
        private static boolean plain(char[] word, int length) {
            for (int i = 0; i < length; i++) {
                if (word[i] >= 0x300 || word[i] == 0xAD) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A phrase's words: their stems and the separators between them (one fewer than the stems). */
    private record Pattern(String[] stems, String[] gaps, int ref) {
    }

    private final Map<String, List<Pattern>> byFirstStem = new HashMap<>();

    PhraseFinder(List<Phrase> phrases) {
        for (Phrase phrase : phrases) {
            Words words = Words.of(phrase.text());
            if (words.count() > 0) {
                String[] gaps = new String[words.count() - 1];
                Arrays.setAll(gaps, k -> words.gap(phrase.text(), k));
                byFirstStem.computeIfAbsent(words.stems[0], w -> new ArrayList<>())
                        .add(new Pattern(Arrays.copyOf(words.stems, words.count()), gaps, phrase.ref()));
            }
        }
    }

    /** Every phrase occurring in the text, once each, at its first occurrence, in order of first occurrence. */
    List<Occurrence> find(String text) {
        List<Occurrence> found = new ArrayList<>();
        if (byFirstStem.isEmpty()) {
            return found;
        }
        Words words = Words.of(text);
        Set<Integer> seen = new HashSet<>();
        for (int w = 0; w < words.count(); w++) {
            List<Pattern> candidates = byFirstStem.get(words.stems[w]);
            if (candidates == null) {
                continue;
            }
            for (Pattern pattern : candidates) {
                if (!seen.contains(pattern.ref()) && occursAt(text, words, w, pattern)) {
                    seen.add(pattern.ref());
                    int last = w + pattern.stems().length - 1;
                    found.add(new Occurrence(pattern.ref(), words.starts[w], words.ends[last] - words.starts[w]));
                }
            }
        }
        return found;
    }

    private static boolean occursAt(String text, Words words, int at, Pattern pattern) {
        int length = pattern.stems().length;
        if (at + length > words.count()) {
            return false;
        }
        for (int k = 1; k < length; k++) {
            if (!words.stems[at + k].equals(pattern.stems()[k])
                    || !words.gap(text, at + k - 1).equals(pattern.gaps()[k - 1])) {
                return false;
            }
        }
        return true;
    }

    /** The words of a text: stems and {@code [start, end)} character ranges, in order. */
    private static final class Words {
        private String[] stems = new String[16];
        private int[] starts = new int[16];
        private int[] ends = new int[16];
        private int count;

        static Words of(String text) {
            Words words = new Words();
            try (TokenStream stream = WORDS.tokenStream("", text)) {
                CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
                stream.reset();
                while (stream.incrementToken()) {
                    words.add(term.toString(), offset.startOffset(), offset.endOffset());
                }
                stream.end();
            } catch (IOException e) {
                throw new UncheckedIOException("reading a string cannot fail", e);
            }
            return words;
        }

        int count() {
            return count;
        }

        /**
         * The separator after word {@code k} as it shows: lower-cased, without format characters, each run of white
         * space of any kind (no-break spaces included) one space.
         */
        String gap(String text, int k) {
            String between = text.substring(ends[k], starts[k + 1]);
            if (between.length() == 1 && between.charAt(0) == ' ') {
                return " ";
            }
            StringBuilder shown = new StringBuilder(between.length());
            boolean space = false;
            for (int i = 0; i < between.length(); ) {
                int cp = between.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                    space = true;
                } else if (!isFormat(cp)) {
                    shown.append(space ? " " : "").appendCodePoint(typed(cp));
                    space = false;
                }
            }
            return shown.append(space ? " " : "").toString().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * The character a keyboard types for a typographic one that shows the same: phones, word processors and
         * transcription services write "can’t" and "two‑factor", while a phrase may only hold {@code '} and
         * {@code -} (the vocabulary rules), so without this "I can’t log in" never contained "I can't log in".
         */
        private static int typed(int cp) {
            return switch (cp) {
                case '\u2019', '\u2018', '\u201b', '\uff07' -> '\'';
                case '\u2010', '\u2011' -> '-';
                default -> cp;
            };
        }

        private void add(String stem, int start, int end) {
            if (count == stems.length) {
                stems = Arrays.copyOf(stems, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            stems[count] = stem;
            starts[count] = start;
            ends[count] = end;
            count++;
        }
    }
}
