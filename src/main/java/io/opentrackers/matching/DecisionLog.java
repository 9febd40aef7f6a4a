package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects, while {@link TrackerMatcher} decides one message, each tracker's deciding span: the one it fired on (a
 * literal occurrence first), else the one where it scored best. Only used when explanations are asked for.
 */
final class DecisionLog {

    private final VocabularyIndex index;
    private final List<Explanation> explanations = new ArrayList<>();
    private Explanation.Candidate[] best;

    DecisionLog(VocabularyIndex index) {
        this.index = index;
    }

    void startMessage() {
        best = new Explanation.Candidate[index.trackers().size()];
    }

    /**
     * Tracker t's decision at a span whose similarities to every row are {@code sims}. With teaching, when a positive
     * example is closer to the span than every phrase, the score is that example's cosine, and the explanation names
     * the example's text as the phrase that gave it.
     *
     * @param chosenInstead with {@code not-chosen}, the tracker the span was given to instead (else ignored)
     * @param examples    the tracker set's examples, or null
     * @param exampleSims the span's similarities to the examples' rows
     */
    void span(int t, float[] sims, float score, double threshold, boolean fired, String reason, int chosenInstead,
            ExampleIndex examples, float[] exampleSims) {
        String phrase = closestPhrase(t, sims);
        if (examples != null) {
            int positive = examples.closestPositive(exampleSims, t);
            if (positive >= 0 && score > sims[phraseRow(t, sims)]) {
                phrase = index.trackers().get(t).examples().get(positive).text();
            }
        }
        Explanation.EverydayTalk everyday = Explanation.EVERYDAY_TALK.equals(reason)
                ? index.closestEverydayTalk(sims) : null;
        Explanation.ChosenTracker instead = null;
        if (Explanation.NOT_CHOSEN.equals(reason)) {
            TrackerDefinition other = index.trackers().get(chosenInstead);
            instead = new Explanation.ChosenTracker(other.id(), other.name());
        }
        offer(t, phrase, score, threshold, fired, reason, everyday, instead);
    }

    /** A literal occurrence of one of t's phrases: a hit unless the conditions stopped it ({@code reason}). */
    void literal(int t, String phrase, double threshold, String reason) {
        offer(t, phrase, 1.0, threshold, reason == null, reason == null ? Explanation.LITERAL : reason, null, null);
    }

    private void offer(int t, String phrase, double score, double threshold, boolean fired, String reason,
            Explanation.EverydayTalk everyday, Explanation.ChosenTracker chosenInstead) {
        TrackerDefinition tracker = index.trackers().get(t);
        Explanation.Candidate candidate = new Explanation.Candidate(tracker.id(), tracker.name(), phrase,
                round(score), round(threshold), fired, reason, everyday, chosenInstead);
        Explanation.Candidate current = best[t];
        if (current == null || Explanation.rank(candidate) > Explanation.rank(current)) {
            best[t] = candidate;
        }
    }


    void finishMessage(String messageId) {
        List<Explanation.Candidate> all = new ArrayList<>();
        for (Explanation.Candidate candidate : best) {
            if (candidate != null) {
                all.add(candidate);
            }
        }
        explanations.add(Explanation.listing(messageId, all));
    }

    List<Explanation> explanations() {
        return explanations;
    }

    private String closestPhrase(int t, float[] sims) {
        return index.phrase(phraseRow(t, sims));
    }

    private int phraseRow(int t, float[] sims) {
        int closest = index.phraseStart(t);
        for (int p = index.phraseStart(t); p < index.phraseEnd(t); p++) {
            if (sims[p] > sims[closest]) {
                closest = p;
            }
        }
        return closest;
    }

    private static double round(double value) {
        return Math.round(value * 10000) / 10000.0;
    }
}
