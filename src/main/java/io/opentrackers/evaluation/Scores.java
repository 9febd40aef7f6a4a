package io.opentrackers.evaluation;

import io.opentrackers.matching.TrackerHit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Quality of a set of hits against the labels, over (message, tracker) pairs.
 *
 * @param inScopeF1 micro F1 over the messages that have at least one label (the oos-variant target)
 * @param rejection share of unlabelled messages with no hit at all; falseAlarmRate = 1 - rejection
 */
record Scores(double precision, double recall, double f1, double macroF1, double inScopePrecision,
              double inScopeRecall, double inScopeF1, Double rejection, Double falseAlarmRate, int messages,
              int outOfScopeMessages, int goldPairs, int predictedPairs) {

    static Scores of(Map<String, Set<String>> labels, List<TrackerHit> hits) {
        Map<String, Set<String>> predicted = new HashMap<>();
        for (TrackerHit hit : hits) {
            predicted.computeIfAbsent(hit.messageId(), id -> new HashSet<>()).add(hit.trackerId());
        }
        int tp = 0, fp = 0, fn = 0, inTp = 0, inFp = 0, inFn = 0, oos = 0, rejected = 0;
        Map<String, int[]> perTracker = new HashMap<>(); // tp, fp, fn
        for (Map.Entry<String, Set<String>> entry : labels.entrySet()) {
            Set<String> gold = entry.getValue();
            Set<String> got = predicted.getOrDefault(entry.getKey(), Set.of());
            if (gold.isEmpty()) {
                oos++;
                rejected += got.isEmpty() ? 1 : 0;
            }
            for (String tracker : got) {
                boolean correct = gold.contains(tracker);
                perTracker.computeIfAbsent(tracker, t -> new int[3])[correct ? 0 : 1]++;
                if (correct) {
                    tp++;
                    inTp++;
                } else {
                    fp++;
                    inFp += gold.isEmpty() ? 0 : 1;
                }
            }
            for (String tracker : gold) {
                if (!got.contains(tracker)) {
                    perTracker.computeIfAbsent(tracker, t -> new int[3])[2]++;
                    fn++;
                    inFn++;
                }
            }
        }
        double macro = perTracker.values().stream().mapToDouble(c -> f1(c[0], c[1], c[2])).average().orElse(0);
        return new Scores(ratio(tp, tp + fp), ratio(tp, tp + fn), f1(tp, fp, fn), macro, ratio(inTp, inTp + inFp),
                ratio(inTp, inTp + inFn), f1(inTp, inFp, inFn), oos == 0 ? null : ratio(rejected, oos),
                oos == 0 ? null : 1 - ratio(rejected, oos), labels.size(), oos, tp + fn, tp + fp);
    }

    private static double f1(int tp, int fp, int fn) {
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }

    String summary() {
        return String.format(java.util.Locale.ROOT,
                "micro P %.3f R %.3f F1 %.3f | macro F1 %.3f | in-scope P %.3f R %.3f F1 %.3f | rejection %s"
                        + " (false alarms %s) | %d messages, %d out of scope",
                precision, recall, f1, macroF1, inScopePrecision, inScopeRecall, inScopeF1, fmt(rejection),
                fmt(falseAlarmRate), messages, outOfScopeMessages);
    }

    /** The rejection as every printed figure is given (three decimals), or n/a for a set without unlabelled messages. */
    String rejectionFigure() {
        return fmt(rejection);
    }

    private static String fmt(Double value) {
        return value == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", value);
    }
}
