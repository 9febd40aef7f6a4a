package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Chooses the sentences whose labels would teach a tracker the most: those nearest its decision boundary, from
 * both sides of it, none a near-duplicate of another suggestion or of an existing example. The service
 * ({@code teaching/}) and the simulation command both use it, so the simulation measures what users get.
 *
 * <ol>
 *   <li>Pre-selection: the {@value #SHORTLIST} sentences (at least 40 per suggestion asked for) nearest the
 *       tracker's centre (the normalised mean of its phrase and positive-example vectors), one product per sentence,
 *       so that 100,000 stored sentences cost one pass over their vectors.</li>
 *   <li>The real decision ({@link TrackerMatcher}, with every tracker of the index competing) on those, and each
 *       one's taught score for the tracker (best cosine to its phrases and positive examples). Only the sentences
 *       the tracker could fire on go through the decision (see {@link #mayFire}); the others cannot fire, so the
 *       outcome is the full decision's at a fraction of its cost.</li>
 *   <li>Two queues by distance of the score to the tracker's threshold, the sentences it fires on and those it does
 *       not; suggestions alternate between them, nearest first, skipping any sentence with a cosine of
 *       {@value #DUPLICATE} or more to a suggestion already taken or to a labelled example.</li>
 * </ol>
 */
public final class SuggestionPicker {

    static final int SHORTLIST = 2000;
    /** Cosine above which two sentences count as the same for labelling ("I want a refund" / "I want a refund."). */
    public static final double DUPLICATE = 0.92;
    /**
     * Slack on the score bound of {@link #mayFire}: the bound is computed with {@link Vectors#dot}, the decision's
     * cosines with the index's kernel, whose sums are ordered differently (they differ by about 1e-6).
     */
    private static final double BOUND_SLACK = 1e-4;
    /** Least work per parallel task, in vector products of the dimension: below it, splitting costs more than it saves. */
    private static final int PARALLEL_GRAIN = 50_000;

    /** A chosen sentence: its position in the candidates, the tracker's taught score on it, whether it fires. */
    public record Suggestion(int candidate, double score, boolean fired) {
    }

    private SuggestionPicker() {
    }

    /**
     * @param index      the index of the account's trackers (with their examples)
     * @param tracker    the tracker's position in the index
     * @param texts      the sentences, one per vector
     * @param vectors    one unit vector per sentence
     * @param excluded   positions that are not candidates (sentences labelled for this tracker already), or null
     * @param references the tracker's phrase vectors and positive-example vectors (its centre for pre-selection, and
     *                   its taught score)
     * @param labelled   vectors of the tracker's examples (suggestions must not duplicate them)
     */
    public static List<Suggestion> pick(VocabularyIndex index, int tracker, MatchingPolicy policy, List<String> texts,
            float[][] vectors, BitSet excluded, float[][] references, float[][] labelled, int limit) {
        BitSet none = excluded == null ? new BitSet() : excluded;
        if (limit <= 0 || none.cardinality() >= vectors.length) {
            return List.of();
        }
        int[] shortlist = shortlist(vectors, none, centre(references), Math.max(SHORTLIST, 40 * limit));
        float[][] shortVectors = new float[shortlist.length][];
        for (int i = 0; i < shortlist.length; i++) {
            shortVectors[i] = vectors[shortlist[i]];
        }
        double[] scores = new double[shortlist.length];
        parallel(shortlist.length, references.length, i -> scores[i] = maxDot(shortVectors[i], references));
        boolean[] fires = fires(index, tracker, policy, shortlist, texts, shortVectors, scores);

        double threshold = policy.thresholdFor(index.trackers().get(tracker).sensitivity());
        List<Suggestion> firing = new ArrayList<>();
        List<Suggestion> silent = new ArrayList<>();
        for (int i = 0; i < shortlist.length; i++) {
            (fires[i] ? firing : silent).add(new Suggestion(i, scores[i], fires[i]));
        }
        Comparator<Suggestion> byDistance = Comparator.comparingDouble(s -> Math.abs(s.score() - threshold));
        firing.sort(byDistance);
        silent.sort(byDistance);
        List<Suggestion> chosen = new ArrayList<>();
        List<float[]> taken = new ArrayList<>(Arrays.asList(labelled));
        int f = 0;
        int n = 0;
        boolean fromFiring = true;
        while (chosen.size() < limit && (f < firing.size() || n < silent.size())) {
            boolean useFiring = f < firing.size() && (fromFiring || n >= silent.size());
            Suggestion next = useFiring ? firing.get(f++) : silent.get(n++);
            fromFiring = !useFiring;
            float[] v = shortVectors[next.candidate()];
            if (maxDot(v, taken) >= DUPLICATE) {
                continue;
            }
            taken.add(v);
            chosen.add(new Suggestion(shortlist[next.candidate()], next.score(), next.fired()));
        }
        return chosen;
    }

    /**
     * Whether the tracker fires on each shortlisted sentence, by the real decision ({@link TrackerMatcher}, all
     * trackers competing) on the sentences {@link #mayFire} keeps; the others are silent.
     */
    private static boolean[] fires(VocabularyIndex index, int tracker, MatchingPolicy policy, int[] shortlist,
            List<String> texts, float[][] shortVectors, double[] scores) {
        boolean[] candidate = mayFire(index, tracker, policy, shortlist, texts, shortVectors, scores);
        int[] decided = IntStream.range(0, shortlist.length).filter(i -> candidate[i]).toArray();
        // the decision of a message never depends on the others decided with it: halves can go to both cores
        int parts = decided.length >= 2 * 64 ? 2 : 1;
        String trackerId = index.trackers().get(tracker).id();
        boolean[] fires = new boolean[shortlist.length];
        IntStream.range(0, parts).parallel().forEach(part -> {
            int from = decided.length * part / parts;
            int to = decided.length * (part + 1) / parts;
            List<MessageText> messages = new ArrayList<>(to - from);
            float[][] partVectors = new float[to - from][];
            for (int k = from; k < to; k++) {
                messages.add(new MessageText(Integer.toString(decided[k]), texts.get(shortlist[decided[k]])));
                partVectors[k - from] = shortVectors[decided[k]];
            }
            for (TrackerHit hit : TrackerMatcher.match(index, EmbeddedMessages.wholeMessages(messages, partVectors),
                    policy)) {
                if (hit.trackerId().equals(trackerId)) {
                    fires[Integer.parseInt(hit.messageId())] = true; // distinct positions: no two tasks share one
                }
            }
        });
        return fires;
    }

    /**
     * The shortlisted sentences the tracker could fire on; the decision ({@link TrackerMatcher} with
     * {@link ExampleIndex}) cannot fire it on the others, for one of these reasons:
     * <ul>
     *   <li>its meaning score (MAX, the top-k means and CLASSIFIER: at most the best cosine to a phrase or positive
     *       example, which {@code scores} holds) is below its threshold; under CLASSIFIER, below the threshold the
     *       classifier's probability asks for;</li>
     *   <li>under CLASSIFIER, the classifier chose another tracker (only its choice can fire);</li>
     *   <li>and none of its phrases occurs literally in the sentence (literal occurrences always fire).</li>
     * </ul>
     * {@code TeachingDecisionTest} checks that the pruned decision equals the full one. With another aggregation
     * (CENTROID, MAX_CENTROID) every sentence is decided.
     */
    private static boolean[] mayFire(VocabularyIndex index, int tracker, MatchingPolicy policy, int[] shortlist,
            List<String> texts, float[][] shortVectors, double[] scores) {
        boolean[] may = new boolean[shortlist.length];
        Aggregation aggregation = policy.aggregation();
        boolean bounded = aggregation == Aggregation.MAX || aggregation == Aggregation.TOP2_MEAN
                || aggregation == Aggregation.TOP3_MEAN || aggregation == Aggregation.CLASSIFIER;
        if (!bounded) {
            Arrays.fill(may, true);
            return may;
        }
        double threshold = index.thresholds(policy)[tracker];
        TrackerClassifier classifier = aggregation == Aggregation.CLASSIFIER ? index.classifier() : null;
        boolean penaltyRaises = policy.uncertaintyPenalty() >= 0;
        // a classifier choice and a literal search cost about as much as 100 products
        parallel(shortlist.length, 100, i -> {
            double bound = scores[i] + BOUND_SLACK;
            boolean meaning = bound >= threshold || !penaltyRaises;
            if (meaning && classifier != null) {
                TrackerClassifier.Choice choice = classifier.choose(shortVectors[i]);
                meaning = choice.tracker() == tracker
                        && (!penaltyRaises || policy.classifierAccepts(bound, threshold, choice.probability()));
            }
            may[i] = meaning || literally(index, tracker, texts.get(shortlist[i]));
        });
        return may;
    }

    /** Whether one of the tracker's phrases occurs in the text, in the literal sense of {@link PhraseFinder}. */
    private static boolean literally(VocabularyIndex index, int tracker, String text) {
        for (PhraseFinder.Occurrence occurrence : index.finder().find(text)) {
            if (index.trackerOf(occurrence.ref()) == tracker) {
                return true;
            }
        }
        return false;
    }

    private static float[] centre(float[][] references) {
        float[] sum = new float[references.length == 0 ? 0 : references[0].length];
        for (float[] r : references) {
            for (int d = 0; d < sum.length; d++) {
                sum[d] += r[d];
            }
        }
        return sum; // not normalised: only the order of the products matters
    }

    /**
     * Positions (ascending) of the {@code size} vectors not excluded with the largest product with {@code centre};
     * ties at the cut go to the earlier positions.
     */
    private static int[] shortlist(float[][] vectors, BitSet excluded, float[] centre, int size) {
        int candidates = vectors.length - excluded.cardinality();
        if (candidates <= size) {
            return IntStream.range(0, vectors.length).filter(i -> !excluded.get(i)).toArray();
        }
        float[] products = new float[vectors.length];
        parallel(vectors.length, 1, i -> products[i] = excluded.get(i) ? Float.NaN : Vectors.dot(vectors[i], centre));
        float[] sorted = new float[candidates];
        int c = 0;
        for (int i = 0; i < products.length; i++) {
            if (!excluded.get(i)) {
                sorted[c++] = products[i];
            }
        }
        Arrays.sort(sorted);
        float cut = sorted[sorted.length - size];
        int[] chosen = new int[size];
        int k = 0;
        for (int i = 0; i < vectors.length && k < size; i++) {
            if (products[i] > cut) {
                chosen[k++] = i;
            }
        }
        for (int i = 0; i < vectors.length && k < size; i++) {
            if (products[i] == cut) {
                chosen[k++] = i;
            }
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Runs {@code body} for 0..count-1, split over the processors when there is enough work ({@code cost}: vector
     * products per item); the bodies write disjoint slots.
     */
    private static void parallel(int count, int cost, IntConsumer body) {
        int chunks = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                (long) count * cost / PARALLEL_GRAIN));
        if (chunks == 1) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            for (int i = count * chunk / chunks, end = count * (chunk + 1) / chunks; i < end; i++) {
                body.accept(i);
            }
        });
    }

    private static double maxDot(float[] v, float[][] rows) {
        double best = Double.NEGATIVE_INFINITY;
        for (float[] r : rows) {
            best = Math.max(best, Vectors.dot(v, r));
        }
        return best;
    }

    private static double maxDot(float[] v, List<float[]> rows) {
        double best = Double.NEGATIVE_INFINITY;
        for (float[] r : rows) {
            best = Math.max(best, Vectors.dot(v, r));
        }
        return best;
    }

}
