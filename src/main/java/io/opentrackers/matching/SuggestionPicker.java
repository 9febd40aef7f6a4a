package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 *       one's taught score for the tracker (best cosine to its phrases and positive examples).</li>
 *   <li>Two queues by distance of the score to the tracker's threshold, the sentences it fires on and those it does
 *       not; suggestions alternate between them, nearest first, skipping any sentence with a cosine of
 *       {@value #DUPLICATE} or more to a suggestion already taken or to a labelled example.</li>
 * </ol>
 */
public final class SuggestionPicker {

    static final int SHORTLIST = 2000;
    /** Cosine above which two sentences count as the same for labelling ("I want a refund" / "I want a refund."). */
    public static final double DUPLICATE = 0.92;

    /** A chosen sentence: its position in the candidates, the tracker's taught score on it, whether it fires. */
    public record Suggestion(int candidate, double score, boolean fired) {
    }

    private SuggestionPicker() {
    }

    /**
     * @param index      the index of the account's trackers (with their examples)
     * @param tracker    the tracker's position in the index
     * @param candidates sentences not labelled for this tracker yet, with one vector each (same order)
     * @param references the tracker's phrase vectors and positive-example vectors (its centre for pre-selection)
     * @param labelled   vectors of the tracker's examples (suggestions must not duplicate them)
     */
    public static List<Suggestion> pick(VocabularyIndex index, int tracker, MatchingPolicy policy,
            List<MessageText> candidates, float[][] vectors, float[][] references, float[][] labelled, int limit) {
        if (candidates.isEmpty() || limit <= 0) {
            return List.of();
        }
        int[] shortlist = shortlist(vectors, centre(references), Math.max(SHORTLIST, 40 * limit));
        List<MessageText> texts = new ArrayList<>(shortlist.length);
        float[][] shortVectors = new float[shortlist.length][];
        for (int i = 0; i < shortlist.length; i++) {
            MessageText c = candidates.get(shortlist[i]);
            texts.add(new MessageText(Integer.toString(i), c.text()));
            shortVectors[i] = vectors[shortlist[i]];
        }
        TrackerDefinition definition = index.trackers().get(tracker);
        Set<String> fired = new HashSet<>();
        for (TrackerHit hit : TrackerMatcher.match(index, EmbeddedMessages.wholeMessages(texts, shortVectors),
                policy)) {
            if (hit.trackerId().equals(definition.id())) {
                fired.add(hit.messageId());
            }
        }
        double threshold = policy.thresholdFor(definition.sensitivity());
        List<Suggestion> firing = new ArrayList<>();
        List<Suggestion> silent = new ArrayList<>();
        for (int i = 0; i < shortlist.length; i++) {
            double score = maxDot(shortVectors[i], references);
            boolean fires = fired.contains(Integer.toString(i));
            (fires ? firing : silent).add(new Suggestion(i, score, fires));
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

    private static float[] centre(float[][] references) {
        float[] sum = new float[references.length == 0 ? 0 : references[0].length];
        for (float[] r : references) {
            for (int d = 0; d < sum.length; d++) {
                sum[d] += r[d];
            }
        }
        return sum; // not normalised: only the order of the products matters
    }

    /** Positions of the {@code size} vectors with the largest product with {@code centre}. */
    private static int[] shortlist(float[][] vectors, float[] centre, int size) {
        if (vectors.length <= size) {
            int[] all = new int[vectors.length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        float[] products = new float[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            products[i] = Vectors.dot(vectors[i], centre);
        }
        float[] sorted = products.clone();
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
