package io.opentrackers.matching;

import java.util.List;

/**
 * Messages split into spans with one vector per span; kept separate from the decision step so the evaluation
 * command can try several policies on one embedding pass.
 *
 * @param spans       per message, its spans: its sentences, then the clauses of those read clause by clause
 *                    ({@link Spans#clauses}, only where the classifier reads them)
 * @param firstSpan   per message, index of its first span in {@code vectors}
 * @param vectors     one unit vector per span, all messages concatenated
 * @param wholes      per message, the vector of its whole text ({@link MessageText#wholeText()}), the context its
 *                    spans are read in; null where the message is its one span
 * @param windows     per span (as {@code vectors}), the vectors of its word windows ({@link Spans#windows}), which
 *                    sharpen the span's cosines to short phrases; empty where the span has none or they were not read
 */
public record EmbeddedMessages(List<MessageText> messages, List<List<Span>> spans, int[] firstSpan,
                               float[][] vectors, float[][] wholes, float[][][] windows) {

    private static final float[][] NO_WINDOWS = new float[0][];

    public EmbeddedMessages {
        wholes = wholes == null ? new float[messages.size()][] : wholes;
        if (windows == null) {
            windows = new float[vectors.length][][];
            java.util.Arrays.fill(windows, NO_WINDOWS);
        }
    }

    /** Messages decided without a whole-message context or word windows (each is read span by span only). */
    public EmbeddedMessages(List<MessageText> messages, List<List<Span>> spans, int[] firstSpan, float[][] vectors) {
        this(messages, spans, firstSpan, vectors, null, null);
    }

    /** The vector of message {@code m}'s own text, where one of its spans is that whole text; null otherwise. */
    public float[] vectorOfItsOwnText(int m) {
        String text = messages.get(m).text();
        List<Span> own = spans.get(m);
        for (int s = 0; s < own.size(); s++) {
            if (own.get(s).start() == 0 && own.get(s).end() == text.length()) {
                return vectors[firstSpan[m] + s];
            }
        }
        return null;
    }

    /**
     * Messages that are one span each, whole, with a vector computed earlier (stored sentences, labelled
     * examples): what the teaching features decide on without embedding again.
     */
    public static EmbeddedMessages wholeMessages(List<MessageText> messages, float[][] vectors) {
        List<List<Span>> spans = new java.util.ArrayList<>(messages.size());
        int[] firstSpan = new int[messages.size()];
        for (int m = 0; m < messages.size(); m++) {
            spans.add(List.of(new Span(0, messages.get(m).text().length())));
            firstSpan[m] = m;
        }
        return new EmbeddedMessages(messages, spans, firstSpan, vectors);
    }
}
