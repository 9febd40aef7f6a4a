package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Chooses the sentences whose labels would teach a tracker the most: those nearest its decision boundary, from
 * both sides of it, none a near-duplicate of another suggestion or of an existing example. The service
 * ({@code teaching/}) and the simulation command both use it, so the simulation measures what users get.
 *
 * <ol>
 *   <li>Pre-selection: the {@value #SHORTLIST} sentences (at least 40 per suggestion asked for) nearest the
 *       tracker's centre (the normalised mean of its phrase and positive-example vectors), one product per sentence,
 *       so that 100,000 stored sentences cost one pass over their vectors. When the walk below runs out before the
 *       limit (every sentence left a duplicate of one taken: a templated call stored thousands of times), the next
 *       nearest sentences are walked in the same way, in shortlists twice as long, until the limit or the last
 *       sentence.</li>
 *   <li>Each one's taught score for the tracker (best cosine to its phrases and positive examples) and the real
 *       decision ({@link TrackerMatcher}, with every tracker of the index competing): does the tracker fire on it?</li>
 *   <li>Two queues by distance of the score to the tracker's threshold, the sentences it fires on and those it does
 *       not; suggestions alternate between them, nearest first, skipping any sentence with a cosine of
 *       {@value #DUPLICATE} or more to a suggestion already taken or to a labelled example, or of the same
 *       {@link #shape} (the same words, other numbers), and any sentence that holds one of the tracker's phrases
 *       literally (it fires whatever its label). A sentence skipped is passed over before its decision is made, and
 *       takes no turn of the alternation.</li>
 * </ol>
 * The decision is what costs (every span against every phrase and example of the account), so it is made only where
 * it can change the choice: never on a sentence the tracker cannot fire on ({@link #mayFire}: it is silent), and on
 * the others only as far as the walk down the queues gets ({@code Decisions}). The choice is the one the full
 * decision of every shortlisted sentence would give (tested).
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
    /** Sentences per matrix product when scoring the shortlist. */
    private static final int PRODUCT_BLOCK = 256;

    /** A chosen sentence: its position in the candidates, the tracker's taught score on it, whether it fires. */
    public record Suggestion(int candidate, double score, boolean fired) {
    }

    private SuggestionPicker() {
    }

    /**
     * A sentence with its numbers masked, case and spacing ignored: "A table for 2 at 7 pm", "a table for 4 at 8 pm"
     * and "a table for two at seven pm" have one shape. Labelling one such sentence teaches what labelling the other
     * would, yet their vectors can be further apart than {@link #DUPLICATE} (numbers weigh a lot in a short sentence).
     * Numbers are runs of digits and English number words ("twenty-five", "two hundred and ten"), as transcripts
     * write them.
     */
    static String shape(String text) {
        String lower = text.strip().toLowerCase(java.util.Locale.ROOT);
        return NUMBER_RUN.matcher(NUMBER.matcher(lower).replaceAll("#")).replaceAll("#").replaceAll("\\s+", " ");
    }

    /** A number: digits (with decimal or time separators) or an English number word. */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
            "\\d+([.,:]\\d+)*|\\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
                    + "|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
                    + "|hundred|thousand|million|billion)\\b");
    /** Numbers written in several words ("twenty-five", "two hundred and ten") are one number. */
    private static final java.util.regex.Pattern NUMBER_RUN = java.util.regex.Pattern.compile(
            "#(([\\s-]+(and[\\s-]+)?)#)+");

    /**
     * @param index      the index of the account's trackers (with their examples)
     * @param tracker    the tracker's position in the index
     * @param texts      the sentences, one per vector
     * @param vectors    one unit vector per sentence (laid out for the pass over all of them)
     * @param excluded   positions that are not candidates (sentences labelled for this tracker already), or null
     * @param references the tracker's phrase vectors and positive-example vectors (its centre for pre-selection, and
     *                   its taught score)
     * @param labelled   vectors of the tracker's examples (suggestions must not duplicate them)
     */
    public static List<Suggestion> pick(VocabularyIndex index, int tracker, MatchingPolicy policy, List<String> texts,
            SentenceMatrix vectors, BitSet excluded, float[][] references, float[][] labelled, int limit) {
        BitSet none = excluded == null ? new BitSet() : excluded;
        if (limit <= 0 || none.cardinality() >= vectors.size()) {
            return List.of();
        }
        float[] centre = centre(references);
        Choice choice = new Choice(index, tracker, limit);
        BitSet walked = (BitSet) none.clone();
        // a shortlist whose sentences are all duplicates of each other (a templated call stored thousands of times)
        // yields fewer than asked for: the next nearest sentences are walked then, in shortlists twice as long
        for (int size = Math.max(SHORTLIST, 40 * limit); !choice.done() && walked.cardinality() < vectors.size();
                size = (int) Math.min(Integer.MAX_VALUE / 2, 2L * size)) {
            int[] shortlist = shortlist(vectors, walked, centre, size);
            choice.walk(policy, texts, vectors, shortlist, references, labelled);
            for (int position : shortlist) {
                walked.set(position);
            }
        }
        return choice.chosen;
    }

    /** The suggestions taken so far, over one or more shortlists, and what later ones must not duplicate. */
    private static final class Choice {

        private final VocabularyIndex index;
        private final int tracker;
        private final int limit;
        private final List<Suggestion> chosen = new ArrayList<>();
        private final List<float[]> taken = new ArrayList<>();
        private final java.util.Set<String> takenShapes = new java.util.HashSet<>();

        Choice(VocabularyIndex index, int tracker, int limit) {
            this.index = index;
            this.tracker = tracker;
            this.limit = limit;
            index.trackers().get(tracker).examples().forEach(example -> takenShapes.add(shape(example.text())));
        }

        boolean done() {
            return chosen.size() >= limit;
        }

        /** Takes suggestions from the shortlisted sentences, the two queues in turn, until the limit or their end. */
        void walk(MatchingPolicy policy, List<String> texts, SentenceMatrix vectors, int[] shortlist,
                float[][] references, float[][] labelled) {
            float[][] shortVectors = new float[shortlist.length][];
            for (int i = 0; i < shortlist.length; i++) {
                shortVectors[i] = vectors.row(shortlist[i]);
            }
            double[] scores = maxProducts(index.kernel(), shortVectors, references);
            // the examples are compared once with every shortlisted sentence; the suggestions taken, in the walk
            double[] nearLabelled = maxProducts(index.kernel(), shortVectors, labelled);
            double threshold = index.thresholds(policy)[tracker];
            String[] shapes = new String[shortlist.length];
            // a sentence that would teach what a suggestion taken or an example teaches already is passed over
            // before its decision is made: a call stored thousands of times costs one decision, not thousands
            IntPredicate duplicate = i -> {
                if (shapes[i] == null) {
                    shapes[i] = shape(texts.get(shortlist[i]));
                }
                return nearLabelled[i] >= DUPLICATE || takenShapes.contains(shapes[i])
                        || maxDot(shortVectors[i], taken) >= DUPLICATE;
            };
            Decisions decisions = new Decisions(index, tracker, policy, shortlist, texts, shortVectors,
                    mayFire(index, tracker, policy, shortlist, shortVectors, scores),
                    IntStream.range(0, shortlist.length).boxed()
                            .sorted(Comparator.comparingDouble(i -> Math.abs(scores[i] - threshold)))
                            .mapToInt(Integer::intValue).toArray(), duplicate);
            boolean fromFiring = true;
            while (!done()) {
                int next = fromFiring ? decisions.nextFiring() : decisions.nextSilent();
                boolean fired = fromFiring;
                if (next < 0) {
                    next = fromFiring ? decisions.nextSilent() : decisions.nextFiring();
                    fired = !fromFiring;
                }
                if (next < 0) {
                    return;
                }
                fromFiring = !fired;
                taken.add(shortVectors[next]);
                takenShapes.add(shapes[next]);
                chosen.add(new Suggestion(shortlist[next], scores[next], fired));
            }
        }
    }

    /**
     * The two queues of the choice, the shortlisted sentences the tracker fires on and those it does not, each
     * nearest the threshold first, walked with the decision made only as far as the walk gets: the real decision
     * ({@link TrackerMatcher}, all trackers competing) on the next sentences {@link #mayFire} keeps, a batch at a
     * time; the others are silent. Equal to deciding them all first, since a message's decision never depends on the
     * others decided with it; the choice rarely reaches far down the queues.
     *
     * <p>A sentence that holds one of the tracker's phrases literally fires whatever its label: labelling it would
     * teach nothing, so it is in neither queue. The phrase search (about 25 µs a sentence) is made only as far as the
     * walk and its batches get, not on the whole shortlist.
     */
    private static final class Decisions {

        private static final int FIRST_BATCH = 64;
        private static final int MAX_BATCH = 512;

        private final VocabularyIndex index;
        private final String trackerId;
        private final MatchingPolicy policy;
        private final int[] shortlist;
        private final List<String> texts;
        private final float[][] vectors;
        private final boolean[] undecided;
        private final boolean[] fires;
        /** Shortlist positions by distance of the score to the threshold (ties: earlier position first). */
        private final int[] order;
        /** Per shortlist position: 0 not searched yet, 1 holds one of the tracker's phrases literally, 2 does not. */
        private final byte[] literal;
        private final int tracker;
        /** Whether a shortlist position duplicates what is taken or labelled already, as of now (it only grows). */
        private final IntPredicate duplicate;
        private int firing;
        private int silent;
        private int batch = FIRST_BATCH;

        Decisions(VocabularyIndex index, int tracker, MatchingPolicy policy, int[] shortlist, List<String> texts,
                float[][] vectors, boolean[] mayFire, int[] order, IntPredicate duplicate) {
            this.index = index;
            this.trackerId = index.trackers().get(tracker).id();
            this.policy = policy;
            this.shortlist = shortlist;
            this.texts = texts;
            this.vectors = vectors;
            this.undecided = mayFire;
            this.fires = new boolean[shortlist.length];
            this.order = order;
            this.literal = new byte[shortlist.length];
            this.tracker = tracker;
            this.duplicate = duplicate;
        }

        private boolean literal(int i) {
            if (literal[i] == 0) {
                literal[i] = (byte) (literally(index, tracker, texts.get(shortlist[i])) ? 1 : 2);
            }
            return literal[i] == 1;
        }

        /** The next sentence of the firing queue (its shortlist position), or -1 when there is none left. */
        int nextFiring() {
            while (firing < order.length) {
                int i = order[firing++];
                if (!literal(i) && !duplicate.test(i) && fires(firing - 1, i)) {
                    return i;
                }
            }
            return -1;
        }

        /** The next sentence of the silent queue, or -1. */
        int nextSilent() {
            while (silent < order.length) {
                int i = order[silent++];
                if (!literal(i) && !duplicate.test(i) && !fires(silent - 1, i)) {
                    return i;
                }
            }
            return -1;
        }

        private boolean fires(int rank, int i) {
            if (undecided[i]) {
                decideFrom(rank);
            }
            return fires[i];
        }

        /** Decides the next batch of undecided sentences in queue order from {@code rank}, on both cores. */
        private void decideFrom(int rank) {
            List<Integer> batchPositions = new ArrayList<>(batch);
            for (int r = rank; r < order.length && batchPositions.size() < batch; r++) {
                if (undecided[order[r]] && !literal(order[r]) && !duplicate.test(order[r])) {
                    batchPositions.add(order[r]);
                    undecided[order[r]] = false;
                }
            }
            batch = Math.min(MAX_BATCH, 2 * batch);
            int parts = batchPositions.size() >= 2 * 32 ? 2 : 1;
            IntStream.range(0, parts).parallel().forEach(part -> {
                List<Integer> mine = batchPositions.subList(batchPositions.size() * part / parts,
                        batchPositions.size() * (part + 1) / parts);
                List<MessageText> messages = new ArrayList<>(mine.size());
                float[][] partVectors = new float[mine.size()][];
                for (int k = 0; k < mine.size(); k++) {
                    messages.add(new MessageText(Integer.toString(mine.get(k)), texts.get(shortlist[mine.get(k)])));
                    partVectors[k] = vectors[mine.get(k)];
                }
                for (TrackerHit hit : TrackerMatcher.match(index, EmbeddedMessages.wholeMessages(messages,
                        partVectors), policy)) {
                    if (hit.trackerId().equals(trackerId)) {
                        fires[Integer.parseInt(hit.messageId())] = true; // no two parts share a position
                    }
                }
            });
        }
    }

    /**
     * The shortlisted sentences the tracker could fire on; the decision ({@link TrackerMatcher} with
     * {@link ExampleIndex}) cannot fire it on the others, for one of these reasons:
     * <ul>
     *   <li>its meaning score (MAX, the top-k means and CLASSIFIER: at most the best cosine to a phrase or positive
     *       example, which {@code scores} holds) is below its threshold; under CLASSIFIER, below the threshold the
     *       classifier's probability asks for;</li>
     *   <li>or, under CLASSIFIER, the classifier chose another tracker (only its choice can fire).</li>
     * </ul>
     * (A sentence where one of the tracker's phrases occurs literally would fire, but it is no candidate.)
     * {@code TeachingDecisionTest} checks that the pruned decision equals the full one. With another aggregation
     * (CENTROID, MAX_CENTROID) every sentence is decided.
     */
    private static boolean[] mayFire(VocabularyIndex index, int tracker, MatchingPolicy policy, int[] shortlist,
            float[][] shortVectors, double[] scores) {
        boolean[] may = new boolean[shortlist.length];
        Aggregation aggregation = policy.aggregation();
        boolean bounded = aggregation == Aggregation.MAX || aggregation == Aggregation.TOP2_MEAN
                || aggregation == Aggregation.TOP3_MEAN || aggregation == Aggregation.CLASSIFIER;
        if (!bounded) {
            Arrays.fill(may, true);
            return may;
        }
        double threshold = index.thresholds(policy)[tracker];
        double penalty = index.penalties(policy)[tracker];
        TrackerClassifier classifier = aggregation == Aggregation.CLASSIFIER ? index.classifier() : null;
        boolean penaltyRaises = penalty >= 0;
        // a classifier choice costs about as much as 100 products
        parallel(shortlist.length, 100, i -> {
            // a unanimous vote of the tracker's labelled neighbours lowers the cosine it needs by up to the bonus
            double bound = scores[i] + BOUND_SLACK + ExampleIndex.VOTE_BONUS;
            boolean meaning = bound >= threshold || !penaltyRaises;
            if (meaning && classifier != null) {
                TrackerClassifier.Choice choice = classifier.choose(shortVectors[i]);
                meaning = choice.chose(tracker)
                        && (!penaltyRaises
                                || policy.classifierAccepts(bound, threshold, penalty, choice.probability()));
            }
            may[i] = meaning; // sentences with a literal occurrence of the tracker's phrases are no candidates
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
    static int[] shortlist(SentenceMatrix vectors, BitSet excluded, float[] centre, int size) {
        int candidates = vectors.size() - excluded.cardinality();
        if (candidates <= size) {
            return IntStream.range(0, vectors.size()).filter(i -> !excluded.get(i)).toArray();
        }
        float[] products = new float[vectors.size()];
        vectors.products(centre, products);
        // the size-th largest product: a min-heap of the largest seen, which most products only compare with
        float[] heap = new float[size];
        int filled = 0;
        for (int i = 0; i < products.length; i++) {
            if (excluded.get(i)) {
                continue;
            }
            float p = products[i];
            if (filled < size) {
                siftUp(heap, filled++, p);
            } else if (p > heap[0]) {
                siftDown(heap, size, p);
            }
        }
        float cut = heap[0];
        int[] chosen = new int[size];
        int k = 0;
        for (int i = 0; i < products.length && k < size; i++) {
            if (products[i] > cut && !excluded.get(i)) {
                chosen[k++] = i;
            }
        }
        for (int i = 0; i < products.length && k < size; i++) {
            if (products[i] == cut && !excluded.get(i)) {
                chosen[k++] = i;
            }
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /** Adds {@code value} at the end of the min-heap {@code heap[0..at)}. */
    private static void siftUp(float[] heap, int at, float value) {
        int i = at;
        while (i > 0 && heap[(i - 1) / 2] > value) {
            heap[i] = heap[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        heap[i] = value;
    }

    /** Replaces the smallest element of the full min-heap {@code heap[0..size)} with {@code value}. */
    private static void siftDown(float[] heap, int size, float value) {
        int i = 0;
        while (2 * i + 1 < size) {
            int child = 2 * i + 1;
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= value) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
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

    /**
     * Per vector, its largest product with any of {@code rows} (minus infinity when there are none), as matrix
     * products with the index's kernel: the cosines the decision compares come from the same kernel.
     */
    private static double[] maxProducts(SimilarityKernel kernel, float[][] vectors, float[][] rows) {
        double[] best = new double[vectors.length];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        if (rows.length == 0 || vectors.length == 0) {
            return best;
        }
        SimilarityKernel.PreparedMatrix matrix = kernel.prepare(rows, rows[0].length);
        try {
            float[][] out = new float[Math.min(PRODUCT_BLOCK, vectors.length)][rows.length];
            for (int from = 0; from < vectors.length; from += PRODUCT_BLOCK) {
                int to = Math.min(vectors.length, from + PRODUCT_BLOCK);
                matrix.multiply(Arrays.copyOfRange(vectors, from, to), out);
                for (int i = from; i < to; i++) {
                    for (float product : out[i - from]) {
                        best[i] = Math.max(best[i], product);
                    }
                }
            }
        } finally {
            matrix.release();
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
