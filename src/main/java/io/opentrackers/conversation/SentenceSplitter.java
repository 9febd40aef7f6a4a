package io.opentrackers.conversation;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a message content into sentences, keeping each sentence's character range in the original content.
 * Tracker hits are reported per sentence, which is what the Conversation API's {@code messageRefs} show, and a
 * matcher compares phrases with sentence-sized text. A "sentence" without punctuation that runs past
 * {@link #MAX_SENTENCE} characters is cut at the last space before that length, so that one run-on transcript
 * line cannot become an unbounded message.
 */
final class SentenceSplitter {

    static final int MAX_SENTENCE = 1000;

    record Sentence(String text, int start, int end) {
    }

    private SentenceSplitter() {
    }

    static List<Sentence> split(String content) {
        List<Sentence> sentences = new ArrayList<>();
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        iterator.setText(content);
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            addTrimmed(content, start, end, sentences);
        }
        return sentences;
    }

    private static void addTrimmed(String content, int start, int end, List<Sentence> into) {
        while (start < end && Character.isWhitespace(content.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(content.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return;
        }
        if (end - start > MAX_SENTENCE) {
            int cut = content.lastIndexOf(' ', start + MAX_SENTENCE);
            if (cut <= start) {
                cut = start + MAX_SENTENCE;
            }
            addTrimmed(content, start, cut, into);
            addTrimmed(content, cut, end, into);
            return;
        }
        into.add(new Sentence(content.substring(start, end), start, end));
    }
}
