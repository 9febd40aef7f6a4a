package io.opentrackers.matching;

import java.util.List;

/**
 * How well a tracker decides, estimated from its own labelled examples by leave-one-out: each example is decided
 * by the full decision ({@link TrackerMatcher}, every tracker of the index competing, literal phrases included)
 * with that one example left out of the examples, and compared with its label. Leave-one-out needs no refit
 * because the examples enter the decision without fitting ({@link ExampleIndex}).
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
    public static final String METHOD = "leave-one-out";

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
        for (int i = 0; i < examples.size(); i++) {
            int row = all.rowOf(tracker, i);
            List<MessageText> message = List.of(new MessageText("example", examples.get(i).text()));
            List<TrackerHit> hits = TrackerMatcher.match(index, all.without(row),
                    EmbeddedMessages.wholeMessages(message, new float[][] {all.vector(row)}), policy);
            boolean fires = hits.stream().anyMatch(h -> h.trackerId().equals(definition.id()));
            if (fires && examples.get(i).match()) {
                tp++;
            } else if (fires) {
                fp++;
            }
        }
        Double precision = tp + fp == 0 ? null : (double) tp / (tp + fp);
        double recall = (double) tp / positives;
        double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + (positives - tp));
        return new QualityEstimate(examples.size(), positives, negatives, precision, recall, f1, METHOD);
    }
}
