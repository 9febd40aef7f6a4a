package io.opentrackers.matching;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Why a message did or did not fire its best-scoring trackers (api.md, "Why a message did or did not fire"), as the
 * matcher decided it: {@link TrackerMatcher} records each tracker's decision while it makes it, so an explanation
 * cannot disagree with the hits.
 */
public record Explanation(String messageId, List<Candidate> candidates) {

    /** Reasons, as sent to clients. */
    public static final String LITERAL = "literal";
    public static final String ABOVE_THRESHOLD = "above-threshold";
    public static final String BELOW_THRESHOLD = "below-threshold";
    /** The classifier chose another tracker for the span (or, with MAX, another tracker scored beyond the margin). */
    public static final String NOT_CHOSEN = "not-chosen";
    /** The classifier's probability for the tracker was under {@code minProbability}. */
    public static final String UNCERTAIN = "uncertain";
    /** Teaching: the tracker's nearest labelled examples voted against it (see ExampleIndex). */
    public static final String NEGATIVE_EXAMPLE = "negative-example";
    /**
     * The tracker is nearly alone and the span is as close to everyday talk (a reference sentence) as to it (see
     * VocabularyIndex#losesToEverydayTalk).
     */
    public static final String EVERYDAY_TALK = "everyday-talk";

    public Explanation {
        candidates = List.copyOf(candidates);
    }

    /**
     * One tracker's decision on the message, at its deciding span: the span it fired on, else its best-scoring one.
     *
     * @param phrase    the vocabulary phrase closest to that span (the literal phrase for {@code literal})
     * @param score     the tracker's aggregated score at that span (1.0 for a literal occurrence), 4 decimals
     * @param threshold the threshold that applied there: with the classifier, the threshold raised by the uncertainty
     *                  penalty for the classifier's probability when the tracker was the one chosen
     * @param reason    {@code literal}, {@code above-threshold}, {@code below-threshold}, {@code not-chosen},
     *                  {@code uncertain}, {@code negative-example}, {@code everyday-talk}, {@code excluded},
     *                  {@code speaker} or {@code window}
     * @param everydayTalk with {@code everyday-talk} only (else null, left out of the answer): the reference sentence
     *                  the span was closer to, so that a user sees what the message was taken for
     * @param chosenInstead with {@code not-chosen} only (else null, left out of the answer): the tracker the span was
     *                  given to instead (the classifier's choice, or with the other aggregations the best-scoring
     *                  tracker, which scored beyond the margin), whether or not that one fired
     */
    public record Candidate(String trackerId, String name, String phrase, double score, double threshold,
                            boolean fired, String reason,
                            @Schema(description = "With `everyday-talk` only: the everyday sentence the span was "
                                    + "taken for, and its cosine") EverydayTalk everydayTalk,
                            @Schema(description = "With `not-chosen` only: the tracker the span was given to instead "
                                    + "(the classifier's choice, or the best-scoring tracker beyond the margin); it "
                                    + "may not have fired either") ChosenTracker chosenInstead) {
    }

    /** A tracker named in another tracker's explanation. */
    public record ChosenTracker(String trackerId, String name) {
    }

    /** A reference sentence (everyday talk) and the span's cosine to it, 4 decimals. */
    public record EverydayTalk(String text, double score) {

        public EverydayTalk {
            score = Math.round(score * 10000) / 10000.0;
        }
    }
}
