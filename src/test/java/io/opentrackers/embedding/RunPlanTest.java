package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How the texts of one call are cut into model runs ({@link RunPlan#runs}). */
class RunPlanTest {

    private static int padded(int[] run, int[] lengths) {
        return run.length * Arrays.stream(run).map(i -> lengths[i]).max().orElse(0);
    }

    @Test
    void everyTextIsInExactlyOneRunWithinTheLimits() {
        Random random = new Random(7);
        for (int call = 0; call < 200; call++) {
            int[] lengths = random.ints(1 + random.nextInt(300), 3, random.nextBoolean() ? 40 : 256).toArray();
            int threads = 1 + random.nextInt(3);
            List<int[]> runs = RunPlan.runs(lengths, 32, threads);

            assertThat(runs.stream().flatMapToInt(Arrays::stream).sorted().toArray())
                    .isEqualTo(IntStream.range(0, lengths.length).toArray());
            for (int[] run : runs) {
                assertThat(run.length).isBetween(1, 32);
                if (run.length > 1) {
                    assertThat(padded(run, lengths)).isLessThanOrEqualTo(RunPlan.MAX_TOKENS_PER_RUN);
                }
            }
            assertThat(runs.size()).isGreaterThanOrEqualTo(Math.min(threads, lengths.length));
        }
    }

    @Test
    void aLongTextDoesNotMakeShortOnesPayForItsPadding() {
        int[] lengths = new int[31];
        Arrays.fill(lengths, 10);
        lengths[17] = 120;
        List<int[]> runs = RunPlan.runs(lengths, 32, 1);
        // together: 31 × 120 padded tokens; apart: 120 + 30 × 10 and the cost of one more run
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0)).hasSize(30); // the costliest run first
        assertThat(runs.get(1)).containsExactly(17);
    }

    @Test
    void textsOfOneLengthFillRunsAndACallOfTwoTextsUsesTwoThreads() {
        int[] sixtyFour = new int[64];
        Arrays.fill(sixtyFour, 12);
        assertThat(RunPlan.runs(sixtyFour, 32, 2)).extracting(run -> run.length).containsExactly(32, 32);
        assertThat(RunPlan.runs(new int[] {9, 14}, 32, 2)).hasSize(2);
        assertThat(RunPlan.runs(new int[] {9, 14}, 32, 1)).hasSize(1);
        assertThat(RunPlan.runs(new int[] {9, 14, 11}, 1, 2)).hasSize(3); // one text a run
    }
}
