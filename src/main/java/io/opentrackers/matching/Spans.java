package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Splits a message into sentence and clause spans. A tracker phrase is usually one short request, so a long
 * message is compared sentence by sentence: averaging a whole paragraph into one vector would drown the one
 * sentence that matters.
 */
final class Spans {

    /** Clauses shorter than this many letters ("Yes.", "Ok!") carry no request of their own. */
    private static final int MIN_LETTERS = 3;
    /** Sentences longer than this are cut again at clause marks (; : , and dashes) to keep spans short. */
    private static final int LONG_SENTENCE = 160;

    private static final java.util.regex.Pattern WHITE_SPACE = java.util.regex.Pattern.compile("\\s+");
    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("\\S+");
    /**
     * Word windows: a span longer than this many words is also read in consecutive pieces of at most this many words,
     * about the length of the longest phrases users write, so that a short phrase is compared with a stretch of its
     * own size rather than with a long sentence that dilutes it. The pieces do not overlap: overlapping windows (half a
     * window apart) measured the same and cost up to twice the model runs (docs/matching.md, "Word windows").
     */
    static final int WINDOW_WORDS = 8;
    /**
     * Clauses: a sentence that commas, semicolons, colons or dashes cut into at least two pieces of at least this many
     * words is also decided clause by clause, so that "We are cancelling all our subscriptions, the budget is gone."
     * can fire both the tracker of the first clause and that of the second. Shorter pieces ("Hi,", "Well,") join
     * their neighbour: they are not a request of their own.
     */
    static final int CLAUSE_WORDS = 4;

    private Spans() {
    }

    static List<Span> split(String text) {
        return split(text, null);
    }

    /**
     * The spans of {@code text}, one sentence of the longer message {@code whole} (null: the text is the whole
     * message). Fragments ("Ok.") are kept only when the whole message has nothing else: a job or a stream stores
     * "Hi. How much is it?" as two sentences and decides each apart, and "Hi." alone must not become a span there
     * when {@code POST /v1/match}, reading the message whole, drops it.
     */
    static List<Span> split(String text, String whole) {
        return splitInMessage(text, () -> whole != null && hasSpans(whole));
    }

    /**
     * As {@link #split(String, String)}, where {@code wholeHasSpans} tells whether the whole message has a span that
     * is not a fragment ({@link #hasSpans}); it is asked only for a text that is a fragment, so a caller that decides
     * many sentences of one message can answer it once for all of them instead of cutting the message for each.
     */
    static List<Span> splitInMessage(String text, BooleanSupplier wholeHasSpans) {
        List<Span> kept = kept(text);
        if (!kept.isEmpty() || wholeHasSpans.getAsBoolean()) {
            return kept;
        }
        Span all = trim(text, 0, text.length());
        return all == null ? List.of() : List.of(all);
    }

    /** Whether {@code text} has a span that is not a fragment ("Ok. I want a refund." has, "Ok. Hm." has not). */
    static boolean hasSpans(String text) {
        return !kept(text).isEmpty();
    }

    /** The sentences (long ones cut at clause marks) that are not fragments. */
    private static List<Span> kept(String text) {
        List<Span> sentences = cut(text, 0, text.length(), true);
        List<Span> spans = new ArrayList<>();
        for (Span sentence : sentences) {
            if (sentence.end() - sentence.start() > LONG_SENTENCE) {
                spans.addAll(cut(text, sentence.start(), sentence.end(), false));
            } else {
                spans.add(sentence);
            }
        }
        return spans.stream().filter(span -> letters(text, span) >= MIN_LETTERS).toList();
    }

    /**
     * The word windows of a span: the span cut into consecutive pieces of {@link #WINDOW_WORDS} words (runs of
     * non-white-space), the last piece holding what is left; none when the span has no more words than a window.
     * Derived from the span's text alone, so a sentence has the same windows whichever message or entry point
     * carries it.
     */
    static List<Span> windows(String text, Span span) {
        List<int[]> words = words(text, span);
        if (words.size() <= WINDOW_WORDS) {
            return List.of();
        }
        List<Span> windows = new ArrayList<>();
        for (int first = 0; first < words.size(); first += WINDOW_WORDS) {
            int last = Math.min(first + WINDOW_WORDS, words.size()) - 1;
            windows.add(new Span(words.get(first)[0], words.get(last)[1]));
        }
        return windows;
    }

    /**
     * The clauses of a sentence span ({@link #CLAUSE_WORDS}): its pieces between clause marks, a piece of fewer words
     * joined to the one before it (the first to the one after it); none when that leaves fewer than two. Derived
     * from the span's text alone, as the windows.
     */
    static List<Span> clauses(String text, Span sentence) {
        List<Span> clauses = new ArrayList<>();
        Span pending = null;
        for (Span piece : cut(text, sentence.start(), sentence.end(), false)) {
            Span joined = pending == null ? piece : new Span(pending.start(), piece.end());
            if (words(text, joined).size() >= CLAUSE_WORDS) {
                clauses.add(joined);
                pending = null;
            } else {
                pending = joined;
            }
        }
        if (pending != null && !clauses.isEmpty()) {
            Span last = clauses.remove(clauses.size() - 1);
            clauses.add(new Span(last.start(), pending.end()));
        }
        return clauses.size() < 2 ? List.of() : clauses;
    }

    /** The [start, end) of each word (run of non-white-space) of the span. */
    private static List<int[]> words(String text, Span span) {
        List<int[]> words = new ArrayList<>();
        java.util.regex.Matcher word = WORD.matcher(text).region(span.start(), span.end());
        while (word.find()) {
            words.add(new int[] {word.start(), word.end()});
        }
        return words;
    }

    /**
     * The text as the model should read it whole: white space runs as one space, trimmed. A message sent whole and
     * the same message rebuilt from its stored sentences differ only in white space, so they read the same.
     */
    static String normalized(String text) {
        return WHITE_SPACE.matcher(text).replaceAll(" ").strip();
    }

    private static List<Span> cut(String text, int from, int to, boolean sentences) {
        List<Span> spans = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean boundary = sentences ? isSentenceEnd(text, i, to) : isClauseMark(c);
            if (boundary) {
                add(spans, text, start, i + 1);
                start = i + 1;
            }
        }
        add(spans, text, start, to);
        return spans;
    }

    /** . ! ? end a sentence when followed by white space or the end (so "3.5" and "e.g." inside words stay). */
    private static boolean isSentenceEnd(String text, int i, int to) {
        char c = text.charAt(i);
        if (c == '\n') {
            return true;
        }
        if (c != '.' && c != '!' && c != '?') {
            return false;
        }
        return i + 1 >= to || Character.isWhitespace(text.charAt(i + 1));
    }

    private static boolean isClauseMark(char c) {
        return c == ';' || c == ':' || c == ',' || c == '\u2014' || c == '\u2013';
    }

    private static void add(List<Span> spans, String text, int start, int end) {
        Span span = trim(text, start, end);
        if (span != null) {
            spans.add(span);
        }
    }

    private static Span trim(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return start < end ? new Span(start, end) : null;
    }

    private static int letters(String text, Span span) {
        int count = 0;
        for (int i = span.start(); i < span.end(); i++) {
            if (Character.isLetterOrDigit(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }
}
