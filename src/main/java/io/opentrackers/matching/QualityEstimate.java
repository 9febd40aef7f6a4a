package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 */
public record QualityEstimate(int examples, int positives, int negatives, Double precision, Double recall,
                              Double f1, String method) {

    public static final int MIN_POSITIVES = 3;
    public static final int MIN_NEGATIVES = 3;
    public static final int FOLDS = 5;
    public static final String METHOD = FOLDS + "-fold cross-validation";

    /** The estimate for the tracker at position {@code tracker} of the index. */
    public static QualityEstimate of(VocabularyIndex index, int tracker, MatchingPolicy policy) {
        TrackerDefinition definition = index.trackers().get(tracker);
        List<LabelledExample> examples = definition.examples();
        int positives = (int) examples.stream().filter(LabelledExample::match).count();
        int negatives = examples.size() - positives;
        if (positives < MIN_POSITIVES || negatives < MIN_NEGATIVES) {
            return new QualityEstimate(examples.size(), positives, negatives, null, null, null, METHOD);
        }
        int tp = 0;
        int fp = 0;
        ExampleIndex all = index.examples();
        for (int fold = 0; fold < Math.min(FOLDS, examples.size()); fold++) {
            boolean[] held = new boolean[all.rows()];
            List<MessageText> messages = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            List<Boolean> labels = new ArrayList<>();
            for (int i = fold; i < examples.size(); i += FOLDS) {
                int row = all.rowOf(tracker, i);
                held[row] = true;
                messages.add(new MessageText(Integer.toString(i), examples.get(i).text()));
                vectors.add(all.vector(row));
                labels.add(examples.get(i).match());
            }
            Set<String> fired = new HashSet<>();
            for (TrackerHit hit : TrackerMatcher.match(index, all.without(held),
                    EmbeddedMessages.wholeMessages(messages, vectors.toArray(new float[0][])), policy)) {
                if (hit.trackerId().equals(definition.id())) {
                    fired.add(hit.messageId());
                }
            }
            for (int k = 0; k < messages.size(); k++) {
                if (fired.contains(messages.get(k).id())) {
                    if (labels.get(k)) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
            }
        }
        Double precision = tp + fp == 0 ? null : (double) tp / (tp + fp);
        double recall = (double) tp / positives;
        double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + (positives - tp));
        return new QualityEstimate(examples.size(), positives, negatives, precision, recall, f1, METHOD);
    }
}
