package io.opentrackers.matching;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
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
 * runs count as one space). Phrases are indexed by the stem of their first word, so a message is scanned once per
 * word instead of once per phrase (25,000 phrases per account would otherwise cost more than the embedding).
 */
final class PhraseFinder {

    /** A phrase to look for, with the caller's reference (e.g. its index in the vocabulary index). */
    record Phrase(String text, int ref) {
    }

    /** An occurrence: the phrase's ref, and where in the text its first occurrence starts and how long it is. */
    record Occurrence(int ref, int offset, int length) {
    }

    /**
     * Words are runs of letters and digits (as before stemming came in: "don't" is "don", "'", "t"), lower-cased,
     * then stemmed. The analyzer keeps one token stream per thread, so it is shared by all finders.
     */
    private static final Analyzer WORDS = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer words = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
            return new TokenStreamComponents(words, new SnowballFilter(new LowerCaseFilter(words),
                    new EnglishStemmer()));
        }
    };

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

        /** The separator after word {@code k}, lower-cased, white space runs as one space. */
        String gap(String text, int k) {
            String between = text.substring(ends[k], starts[k + 1]);
            return between.length() == 1 && between.charAt(0) == ' ' ? " "
                    : between.toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
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
