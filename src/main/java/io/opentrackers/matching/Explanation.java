package io.opentrackers.matching;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a message did or did not fire its best-scoring trackers (api.md, "Why a message did or did not fire"), as the
 * matcher decided it: {@link TrackerMatcher} records each tracker's decision while it makes it, so an explanation
 * cannot disagree with the hits.
 */
public record Explanation(@Schema(requiredMode = REQUIRED) String messageId,
        @Schema(requiredMode = REQUIRED) List<Candidate> candidates) {

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

    /**
     * The best-scoring trackers listed per message (all when fewer), plus every other tracker that fired and every
     * tracker a listed one names as {@code chosenInstead}.
     */
    static final int LISTED = 3;

    public Explanation {
        candidates = List.copyOf(candidates);
    }

    /**
     * The explanation of a message from each tracker's decision at its deciding span ({@code decisions}, at most one
     * per tracker): the {@link #LISTED} best-scoring, every other that fired, and those they name as chosen instead.
     */
    static Explanation listing(String messageId, List<Candidate> decisions) {
        List<Candidate> all = new ArrayList<>(decisions);
        all.sort(Comparator.comparingDouble(Candidate::score).thenComparing(Candidate::fired).reversed());
        Set<String> shown = new HashSet<>();
        for (int k = 0; k < all.size(); k++) {
            if (k < LISTED || all.get(k).fired()) {
                shown.add(all.get(k).trackerId());
            }
        }
        // a tracker that another candidate names as chosenInstead is listed too (and the one it names, and so on),
        // else "not-chosen, Next Steps chosen instead" names a tracker whose own score and reason cannot be read,
        // and a user cannot tell why nothing fired on the words
        for (boolean added = true; added; ) {
            added = false;
            for (Candidate candidate : all) {
                if (shown.contains(candidate.trackerId()) && candidate.chosenInstead() != null) {
                    added |= shown.add(candidate.chosenInstead().trackerId());
                }
            }
        }
        return new Explanation(messageId, all.stream().filter(c -> shown.contains(c.trackerId())).toList());
    }

    /**
     * One message's explanation from those of its sentences, decided apart as a job or a stream stores them: each
     * tracker's deciding sentence is the one it fired on (a literal occurrence first), else its best-scoring one.
     */
    public static Explanation ofSentences(String messageId, List<Explanation> sentences) {
        Map<String, Candidate> deciding = new LinkedHashMap<>();
        for (Explanation sentence : sentences) {
            for (Candidate candidate : sentence.candidates()) {
                deciding.merge(candidate.trackerId(), candidate, (a, b) -> rank(b) > rank(a) ? b : a);
            }
        }
        return listing(messageId, List.copyOf(deciding.values()));
    }

    /** How strongly a decision explains the tracker: fired literal, then fired by meaning, then the highest score. */
    static double rank(Candidate candidate) {
        if (candidate.fired()) {
            return LITERAL.equals(candidate.reason()) ? 4 : 3 + candidate.score() / 2;
        }
        return candidate.score();
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
    public record Candidate(@Schema(requiredMode = REQUIRED) String trackerId,
                            @Schema(requiredMode = REQUIRED) String name,
                            @Schema(requiredMode = REQUIRED) String phrase,
                            @Schema(requiredMode = REQUIRED) double score,
                            @Schema(requiredMode = REQUIRED) double threshold,
                            @Schema(requiredMode = REQUIRED) boolean fired,
                            @Schema(requiredMode = REQUIRED) String reason,
                            @Schema(description = "With `everyday-talk` only: the everyday sentence the span was "
                                    + "taken for, and its cosine") EverydayTalk everydayTalk,
                            @Schema(description = "With `not-chosen` only: the tracker the span was given to instead "
                                    + "(the classifier's choice, or the best-scoring tracker beyond the margin); it "
                                    + "may not have fired either") ChosenTracker chosenInstead) {
    }

    /** A tracker named in another tracker's explanation. */
    public record ChosenTracker(@Schema(requiredMode = REQUIRED) String trackerId,
                                @Schema(requiredMode = REQUIRED) String name) {
    }

    /** A reference sentence (everyday talk) and the span's cosine to it, 4 decimals. */
    public record EverydayTalk(@Schema(requiredMode = REQUIRED) String text,
                               @Schema(requiredMode = REQUIRED) double score) {

        public EverydayTalk {
            score = Math.round(score * 10000) / 10000.0;
        }
    }
}
