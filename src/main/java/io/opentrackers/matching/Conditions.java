package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TrackerConditions} of an index's trackers, laid out for the matcher: each tracker's conditions, the
 * vectors of its excluded phrases and a literal finder over them. Immutable; built with the index.
 */
final class Conditions {

    /** Why a span may not fire a tracker whose excluded phrase it matches, as {@code reason} in explanations. */
    static final String EXCLUDED = "excluded";

    private final TrackerConditions[] trackers;
    private final float[][][] excludeVectors;
    private final PhraseFinder excludeFinder;
    private final boolean any;

    private Conditions(TrackerConditions[] trackers, float[][][] excludeVectors, PhraseFinder excludeFinder,
            boolean any) {
        this.trackers = trackers;
        this.excludeVectors = excludeVectors;
        this.excludeFinder = excludeFinder;
        this.any = any;
    }

    static Conditions of(List<VocabularyIndex.EmbeddedTracker> embedded) {
        TrackerConditions[] trackers = new TrackerConditions[embedded.size()];
        float[][][] vectors = new float[embedded.size()][][];
        List<PhraseFinder.Phrase> phrases = new ArrayList<>();
        boolean any = false;
        for (int t = 0; t < embedded.size(); t++) {
            VocabularyIndex.EmbeddedTracker e = embedded.get(t);
            trackers[t] = e.tracker().conditions();
            any |= !trackers[t].isNone();
            List<String> exclude = trackers[t].exclude();
            if (e.excludeVectors().length != exclude.size()) {
                throw new IllegalArgumentException("tracker " + e.tracker().id() + " excludes " + exclude.size()
                        + " phrases but has " + e.excludeVectors().length + " vectors for them");
            }
            vectors[t] = e.excludeVectors();
            for (String phrase : exclude) {
                phrases.add(new PhraseFinder.Phrase(phrase, t));
            }
        }
        return new Conditions(trackers, vectors, new PhraseFinder(phrases), any);
    }

    /**
     * What the conditions allow on one message: per tracker, whether the message may fire it at all (speaker,
     * window) and which of its spans match an excluded phrase.
     *
     * <p>A span matches an excluded phrase when it contains it (literally), or by meaning when its cosine to it
     * reaches the tracker's threshold <b>and</b> is at least the span's cosine to the closest of the tracker's own
     * phrases: the span says what the tracker excludes at least as closely as anything the tracker is for. The
     * threshold alone does not tell them apart: an excluded wording shares most of its words with the tracker's
     * topic ("not planning to switch" beside "switch provider"), so both are close to it on every sentence about the
     * topic. Both cosines are the span's best over itself and its word windows, as the decision reads the span.
     *
     * @param spans         the message's sentence spans, then the clauses of some of them ({@link Spans#clauses}): a
     *                      clause is excluded when it or its sentence matches an excluded phrase, and literal
     *                      occurrences are placed by sentence
     * @param spanVectors   one unit vector per span
     * @param windowVectors per span, the unit vectors of its word windows (none for most)
     * @param sims          per span, its cosines to the index's rows, each its best over the span and its windows
     * @param thresholds    per tracker, its threshold
     */
    Gate gate(MessageText message, List<Span> spans, float[][] spanVectors, float[][][] windowVectors,
            float[][] sims, VocabularyIndex index, double[] thresholds) {
        if (!any) {
            return Gate.OPEN;
        }
        int[] sentenceOf = sentenceOf(spans);
        String[] blocked = new String[trackers.length];
        boolean[][] excluded = new boolean[trackers.length][];
        List<List<PhraseFinder.Occurrence>> literal = null;
        for (int t = 0; t < trackers.length; t++) {
            blocked[t] = trackers[t].blocks(message.context());
            if (blocked[t] != null || excludeVectors[t].length == 0) {
                continue;
            }
            if (literal == null) {
                literal = new ArrayList<>(spans.size());
                for (Span span : spans) {
                    literal.add(excludeFinder.find(span.of(message.text())));
                }
            }
            excluded[t] = new boolean[spans.size()];
            for (int s = 0; s < spans.size(); s++) {
                excluded[t][s] = excluded[t][sentenceOf[s]] // sentences come first
                        || mentions(literal.get(s), t)
                        || saysExcluded(spanVectors[s], windowVectors[s], excludeVectors[t], thresholds[t],
                                closestPhrase(sims[s], index.phraseStart(t), index.phraseEnd(t)));
            }
        }
        int sentences = 0;
        while (sentences < spans.size() && sentenceOf[sentences] == sentences) {
            sentences++;
        }
        return new Gate(blocked, excluded, spans.subList(0, sentences));
    }

    /** Per span, the index of the sentence span that holds it (itself for a sentence: no earlier span holds it). */
    static int[] sentenceOf(List<Span> spans) {
        int[] sentenceOf = new int[spans.size()];
        for (int s = 0; s < spans.size(); s++) {
            sentenceOf[s] = s;
            for (int p = 0; p < s; p++) {
                if (spans.get(p).start() <= spans.get(s).start() && spans.get(s).end() <= spans.get(p).end()) {
                    sentenceOf[s] = p;
                    break;
                }
            }
        }
        return sentenceOf;
    }

    private static boolean mentions(List<PhraseFinder.Occurrence> occurrences, int tracker) {
        for (PhraseFinder.Occurrence occurrence : occurrences) {
            if (occurrence.ref() == tracker) {
                return true;
            }
        }
        return false;
    }

    /** Whether the span (or one of its windows) is at least {@code threshold} and {@code tracked} close to an excluded phrase. */
    private static boolean saysExcluded(float[] span, float[][] windows, float[][] phrases, double threshold,
            float tracked) {
        double bar = Math.max(threshold, tracked);
        for (float[] phrase : phrases) {
            if (Vectors.dot(span, phrase) >= bar) {
                return true;
            }
            for (float[] window : windows) {
                if (Vectors.dot(window, phrase) >= bar) {
                    return true;
                }
            }
        }
        return false;
    }

    private static float closestPhrase(float[] sims, int from, int to) {
        float best = Float.NEGATIVE_INFINITY;
        for (int p = from; p < to; p++) {
            best = Math.max(best, sims[p]);
        }
        return best;
    }

    /** The conditions applied to one message. */
    static final class Gate {

        /** No tracker has conditions: everything is allowed. */
        static final Gate OPEN = new Gate(null, null, List.of());

        private final String[] blocked;
        private final boolean[][] excluded;
        /** The message's sentence spans (where literal occurrences are placed), not their clauses. */
        private final List<Span> spans;

        private Gate(String[] blocked, boolean[][] excluded, List<Span> spans) {
            this.blocked = blocked;
            this.excluded = excluded;
            this.spans = spans;
        }

        /** Why the message may not fire tracker t at all (speaker, window), or null. */
        String blocked(int t) {
            return blocked == null ? null : blocked[t];
        }

        /** Why span s may not fire tracker t (speaker, window, excluded), or null when it may. */
        String reason(int t, int s) {
            String reason = blocked(t);
            if (reason == null && excluded != null && excluded[t] != null && excluded[t][s]) {
                reason = EXCLUDED;
            }
            return reason;
        }

        /** Whether a literal occurrence of t's vocabulary at {@code offset} lies in a span that t excludes. */
        boolean excludes(int t, int offset) {
            if (excluded == null || excluded[t] == null) {
                return false;
            }
            for (int s = 0; s < spans.size(); s++) {
                if (excluded[t][s] && offset >= spans.get(s).start() && offset < spans.get(s).end()) {
                    return true;
                }
            }
            return false;
        }

        /** Spans of the message t does not exclude (all of them when it excludes nothing). */
        List<Span> allowedSpans(int t) {
            if (excluded == null || excluded[t] == null) {
                return spans;
            }
            List<Span> allowed = new ArrayList<>();
            for (int s = 0; s < spans.size(); s++) {
                if (!excluded[t][s]) {
                    allowed.add(spans.get(s));
                }
            }
            return allowed;
        }
    }
}
