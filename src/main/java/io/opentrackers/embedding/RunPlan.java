package io.opentrackers.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/** How the texts of one call are cut into model runs, when texts may share a run ({@link OnnxEmbeddingModel}). */
final class RunPlan {

    /**
     * Padded tokens in one run at most, whatever the batch size: past about a thousand a token costs more (the
     * activations leave the processor's caches, attention grows with the square of the length), and it bounds
     * a run's memory (docs/performance.md, "Fixed activation scales").
     */
    static final int MAX_TOKENS_PER_RUN = 1024;
    /** What a run costs beyond its tokens, in tokens: measured, docs/performance.md ("Fixed activation scales"). */
    static final int RUN_COST_IN_TOKENS = 18;

    private RunPlan() {
    }

    /**
     * The texts of each run (indexes into {@code lengths}), by a cost model: a run costs about as much as
     * {@link #RUN_COST_IN_TOKENS} tokens plus one per padded token (each text padded to the run's longest). Texts
     * sorted by length are cut into the runs of least total cost (at most {@code textsPerRun} texts and
     * {@link #MAX_TOKENS_PER_RUN} padded tokens each), so that a long text does not make many short ones pay for
     * its padding; then, while there are fewer runs than {@code threads} to make them, the costliest run is halved,
     * so that a call of a few texts still uses every thread. Costliest runs first: the last to finish is a cheap one.
     */
    static List<int[]> runs(int[] lengths, int textsPerRun, int threads) {
        int n = lengths.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
        // least[j]: least cost of the first j texts in that order; cut[j]: where the last of its runs starts
        long[] least = new long[n + 1];
        int[] cut = new int[n + 1];
        for (int j = 1; j <= n; j++) {
            least[j] = Long.MAX_VALUE;
            for (int i = j - 1; i >= Math.max(0, j - textsPerRun); i--) {
                long longest = Math.max(1, lengths[order[i]]); // sorted: a run's first text is its longest
                if (i < j - 1 && (j - i) * longest > MAX_TOKENS_PER_RUN) {
                    break; // earlier starts are longer still
                }
                long cost = least[i] + RUN_COST_IN_TOKENS + (j - i) * longest;
                if (cost < least[j]) {
                    least[j] = cost;
                    cut[j] = i;
                }
            }
        }
        List<int[]> runs = new ArrayList<>();
        for (int j = n; j > 0; j = cut[j]) {
            int[] run = new int[j - cut[j]];
            for (int k = 0; k < run.length; k++) {
                run[k] = order[cut[j] + k];
            }
            runs.add(run);
        }
        ToLongFunction<int[]> cost = run -> RUN_COST_IN_TOKENS + (long) run.length
                * Arrays.stream(run).map(i -> Math.max(1, lengths[i])).max().orElse(1);
        while (runs.size() < threads) {
            int[] costliest = runs.stream().filter(run -> run.length > 1).max(Comparator.comparingLong(cost))
                    .orElse(null);
            if (costliest == null) {
                break;
            }
            runs.remove(costliest);
            runs.add(Arrays.copyOfRange(costliest, 0, costliest.length / 2));
            runs.add(Arrays.copyOfRange(costliest, costliest.length / 2, costliest.length));
        }
        runs.sort(Comparator.comparingLong(cost).reversed());
        return runs;
    }
}
