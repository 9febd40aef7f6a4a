package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How well a tracker decides, estimated from its own labelled examples by k-fold cross-validation: the examples are
 * dealt into {@value #FOLDS} folds (example i into fold i mod {@value #FOLDS}); each fold's examples are decided by
 * the full decision ({@link TrackerMatcher}, every tracker of the index competing, literal phrases included) with
 * the decision refitted without them (scores, votes and classifier), and compared with their labels.
 *
 * <p>Figures are null until the tracker has {@value #MIN_POSITIVES} positive and {@value #MIN_NEGATIVES} negative
 * examples: with fewer, one example moves precision or recall by a third or more. Precision is also null while
 * the tracker fires on none of its examples (it is undefined), recall and F1 are then 0.
 *
 * @param precision share of the examples it fires on that are positives
 * @param recall    share of the positives it fires on
 * @param truePositives  positives it fired on (null with the figures), the count precision and recall are made of
 * @param falsePositives negatives it fired on (null with the figures)
 */
public record QualityEstimate(int examples, int positives, int negatives, Double precision, Double recall,
                              Double f1, String method, Integer truePositives, Integer falsePositives) {

    public static final int MIN_POSITIVES = 3;
    public static final int MIN_NEGATIVES = 3;
    public static final int FOLDS = 5;
    public static final String METHOD = FOLDS + "-fold cross-validation";

    /**
     * The tracker's examples as messages to embed for {@link #of(VocabularyIndex, int, MatchingPolicy,
     * EmbeddedMessages)}: each example its own message, its id its position in the tracker's example list.
     */
    public static List<MessageText> exampleMessages(TrackerDefinition definition) {
        List<MessageText> messages = new ArrayList<>();
        for (int i = 0; i < definition.examples().size(); i++) {
            messages.add(new MessageText(Integer.toString(i), definition.examples().get(i).text()));
        }
        return messages;
    }

    /**
     * The estimate for the tracker at position {@code tracker} of the index, each example decided from its stored
     * vector alone, as one span (no whole-message context, no word windows).
     */
    public static QualityEstimate of(VocabularyIndex index, int tracker, MatchingPolicy policy) {
        TrackerDefinition definition = index.trackers().get(tracker);
        ExampleIndex all = index.examples();
        float[][] vectors = new float[definition.examples().size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = all.vector(all.rowOf(tracker, i));
        }
        return of(index, tracker, policy, EmbeddedMessages.wholeMessages(exampleMessages(definition), vectors));
    }

    /**
     * The estimate for the tracker at position {@code tracker} of the index, each example decided as the detector
     * decides a message of that text: {@code examples} is {@link #exampleMessages} embedded the way the detector
     * embeds messages (its sentences, their word windows, the whole text), so the estimate describes the decision
     * {@code /v1/match} makes on such a text with the other folds' examples.
     */
    public static QualityEstimate of(VocabularyIndex index, int tracker, MatchingPolicy policy,
            EmbeddedMessages examples) {
        TrackerDefinition definition = index.trackers().get(tracker);
        List<LabelledExample> labelled = definition.examples();
        int positives = (int) labelled.stream().filter(LabelledExample::match).count();
        int negatives = labelled.size() - positives;
        if (positives < MIN_POSITIVES || negatives < MIN_NEGATIVES) {
            return new QualityEstimate(labelled.size(), positives, negatives, null, null, null, METHOD, null, null);
        }
        ExampleIndex all = index.examples();
        // the folds are independent (each refits the decision without its examples, mostly the classifier): both
        // cores take them; the counts are sums, so the order they finish in changes nothing
        int[][] counts = IntStream.range(0, Math.min(FOLDS, labelled.size())).parallel()
                .mapToObj(fold -> foldCounts(index, all, tracker, definition, examples, policy, fold))
                .toArray(int[][]::new);
        int tp = 0;
        int fp = 0;
        for (int[] fold : counts) {
            tp += fold[0];
            fp += fold[1];
        }
        Double precision = tp + fp == 0 ? null : (double) tp / (tp + fp);
        double recall = (double) tp / positives;
        double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + (positives - tp));
        return new QualityEstimate(labelled.size(), positives, negatives, precision, recall, f1, METHOD, tp, fp);
    }

    /** {true positives, false positives} among fold {@code fold}'s examples, decided without that fold's examples. */
    private static int[] foldCounts(VocabularyIndex index, ExampleIndex all, int tracker, TrackerDefinition definition,
            EmbeddedMessages examples, MatchingPolicy policy, int fold) {
        List<LabelledExample> labelled = definition.examples();
        boolean[] held = new boolean[all.rows()];
        for (int i = fold; i < labelled.size(); i += FOLDS) {
            held[all.rowOf(tracker, i)] = true;
        }
        // every example is decided with this fold's examples left out; only this fold's count
        Set<Integer> fired = new HashSet<>();
        for (TrackerHit hit : TrackerMatcher.match(index, all.without(held), examples, policy)) {
            int i = Integer.parseInt(hit.messageId());
            if (hit.trackerId().equals(definition.id()) && i % FOLDS == fold) {
                fired.add(i);
            }
        }
        int[] counts = new int[2];
        for (int i : fired) {
            counts[labelled.get(i).match() ? 0 : 1]++;
        }
        return counts;
    }
}
