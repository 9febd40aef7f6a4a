package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds literal, case-insensitive, word-bounded occurrences of many phrases in a text. Phrases are indexed by
 * their first word, so a message is scanned once per word instead of once per phrase (25,000 phrases per account
 * would otherwise cost more than the embedding).
 */
final class PhraseFinder {

    /** A phrase to look for, with the caller's reference (e.g. its index in the vocabulary index). */
    record Phrase(String text, int ref) {
    }

    /** An occurrence: the phrase's ref and the index of its first occurrence. */
    record Occurrence(int ref, int offset, int length) {
    }

    private final Map<String, List<Phrase>> byFirstWord = new HashMap<>();

    PhraseFinder(List<Phrase> phrases) {
        for (Phrase phrase : phrases) {
            String first = firstWord(phrase.text());
            if (first != null) {
                byFirstWord.computeIfAbsent(first, w -> new ArrayList<>()).add(phrase);
            }
        }
    }

    /** Every phrase occurring in the text, once each, at its first occurrence, in order of first occurrence. */
    List<Occurrence> find(String text) {
        List<Occurrence> found = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (!isWordChar(text.charAt(i))) {
                i++;
                continue;
            }
            int wordEnd = i;
            while (wordEnd < n && isWordChar(text.charAt(wordEnd))) {
                wordEnd++;
            }
            List<Phrase> candidates = byFirstWord.get(text.substring(i, wordEnd).toLowerCase(Locale.ROOT));
            if (candidates != null) {
                for (Phrase phrase : candidates) {
                    if (!seen.contains(phrase.ref()) && occursAt(text, i, phrase.text())) {
                        seen.add(phrase.ref());
                        found.add(new Occurrence(phrase.ref(), i, phrase.text().length()));
                    }
                }
            }
            i = wordEnd;
        }
        return found;
    }

    private static boolean occursAt(String text, int at, String phrase) {
        int end = at + phrase.length();
        return end <= text.length()
                && text.regionMatches(true, at, phrase, 0, phrase.length())
                && (end == text.length() || !isWordChar(text.charAt(end)) || !isWordChar(phrase.charAt(phrase.length() - 1)));
    }

    private static String firstWord(String phrase) {
        int i = 0;
        while (i < phrase.length() && !isWordChar(phrase.charAt(i))) {
            i++;
        }
        int end = i;
        while (end < phrase.length() && isWordChar(phrase.charAt(end))) {
            end++;
        }
        return i == end ? null : phrase.substring(i, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c);
    }
}
