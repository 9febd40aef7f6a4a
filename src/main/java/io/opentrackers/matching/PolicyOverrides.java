package io.opentrackers.matching;

import java.util.Locale;
import java.util.function.Function;

/**
 * Changes to a calibrated {@link MatchingPolicy}, each null when left as calibrated: what {@code trackers.matching.*}
 * asks of the service and what the evaluation commands' flags ask of a measurement. One definition, so that a policy
 * measured on the command line is the policy the service runs with the same settings.
 */
public record PolicyOverrides(Aggregation aggregation, Double threshold, Double margin, Double minProbability,
                              Double uncertaintyPenalty, Double calibrationQuantile) {

    /** The overrides' names, as in {@code trackers.matching.*} and a model descriptor's {@code calibration}. */
    public static final java.util.Set<String> NAMES = java.util.Set.of("aggregation", "threshold", "margin",
            "min-probability", "uncertainty-penalty", "calibration-quantile");

    /** Nothing overridden: the calibrated policy as it is. */
    public static final PolicyOverrides NONE = new PolicyOverrides(null, null, null, null, null, null);

    public PolicyOverrides(Aggregation aggregation, Double threshold, Double margin, Double minProbability,
                           Double uncertaintyPenalty) {
        this(aggregation, threshold, margin, minProbability, uncertaintyPenalty, null);
    }

    /**
     * The policy with every set override in place (the spread is calibrated only); validated as any policy. A
     * threshold given without a calibration quantile is a fixed threshold for every tracker (calibration off): an
     * operator who sets a threshold means that threshold.
     */
    public MatchingPolicy applyTo(MatchingPolicy policy) {
        double quantile = calibrationQuantile != null ? calibrationQuantile
                : threshold != null ? 0 : policy.calibrationQuantile();
        return new MatchingPolicy(
                aggregation != null ? aggregation : policy.aggregation(),
                threshold != null ? threshold : policy.threshold(),
                margin != null ? margin : policy.margin(),
                policy.spread(),
                minProbability != null ? minProbability : policy.minProbability(),
                uncertaintyPenalty != null ? uncertaintyPenalty : policy.uncertaintyPenalty(),
                quantile,
                // a penalty given here is in cosine, as trackers.matching.uncertainty-penalty is documented
                uncertaintyPenalty != null ? MatchingPolicy.PenaltyUnit.COSINE : policy.penaltyUnit());
    }

    /**
     * Checks each value that is set on its own, so that a bad one is refused naming it and its value ({@code
     * trackers.matching.threshold must be a cosine in [-1, 1], was 5.0}) rather than by {@link MatchingPolicy}'s
     * sentence of every rule at once, which named neither and came after the model had loaded.
     *
     * @param prefix what goes before the kebab-case name in the message: {@code trackers.matching.} or the
     *               descriptor's {@code calibration.}
     * @return these overrides
     */
    public PolicyOverrides checked(String prefix) {
        if (threshold != null && !(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException(prefix + "threshold must be a cosine in [-1, 1], was " + threshold);
        }
        if (margin != null && !(margin >= 0)) {
            throw new IllegalArgumentException(prefix + "margin must not be negative, was " + margin);
        }
        if (minProbability != null && !(minProbability >= 0 && minProbability <= 1)) {
            throw new IllegalArgumentException(prefix + "min-probability must be in [0, 1], was " + minProbability);
        }
        if (uncertaintyPenalty != null && !(uncertaintyPenalty >= 0)) {
            throw new IllegalArgumentException(prefix + "uncertainty-penalty must not be negative, was "
                    + uncertaintyPenalty);
        }
        if (calibrationQuantile != null && calibrationQuantile != 0
                && !(calibrationQuantile >= ThresholdCalibration.MIN_QUANTILE && calibrationQuantile <= 1)) {
            throw new IllegalArgumentException(prefix + "calibration-quantile must be 0 (off) or in ["
                    + ThresholdCalibration.MIN_QUANTILE + ", 1], was " + calibrationQuantile);
        }
        return this;
    }

    /**
     * Reads the overrides by their kebab-case names, the same as in {@code trackers.matching.*}: {@code aggregation}
     * (case-insensitive), {@code threshold}, {@code margin}, {@code min-probability}, {@code uncertainty-penalty},
     * {@code calibration-quantile}.
     *
     * @param valueOf the text given for a name, or null when not given
     * @throws IllegalArgumentException for an unknown aggregation or a value that is not a number
     */
    public static PolicyOverrides parse(Function<String, String> valueOf) {
        return new PolicyOverrides(
                aggregation(valueOf.apply("aggregation")),
                number(valueOf, "threshold"),
                number(valueOf, "margin"),
                number(valueOf, "min-probability"),
                number(valueOf, "uncertainty-penalty"),
                number(valueOf, "calibration-quantile"));
    }

    /** Java's own message ("No enum constant io.opentrackers.matching.Aggregation.FOO") names a class, not the values. */
    private static Aggregation aggregation(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Aggregation.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("aggregation must be one of "
                    + java.util.Arrays.toString(Aggregation.values()) + ", not '" + text + "'", e);
        }
    }

    private static Double number(Function<String, String> valueOf, String name) {
        String text = valueOf.apply(name);
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + text + "'", e);
        }
    }
}
