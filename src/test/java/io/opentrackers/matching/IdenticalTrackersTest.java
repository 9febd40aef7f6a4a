package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which trackers are one topic: copies, and trackers that share at least half of their distinct rows. */
class IdenticalTrackersTest {

    private static float[] row(int value) {
        return new float[] {value, 1};
    }

    @Test
    void trackersSharingHalfTheirRowsOrMoreAreOneTopicUnderTheFirstOfThem() {
        float[][] rows = {
            row(1), row(2), row(3), row(4), row(5), // 0
            row(9), row(10), row(11), row(12), // 1: nothing shared
            row(5), row(4), row(3), row(2), row(1), row(6), // 2: tracker 0 and a phrase more (5 of 6 shared)
            row(1), row(2), row(20), row(20), row(21), row(22), row(23), // 3: 2 of 9 shared with tracker 0
            row(6), row(1), row(2), row(3), row(30), // 4: 4 of 7 shared with tracker 2, 3 of 7 with tracker 0
            row(9), row(9), row(10), row(11), row(12), // 5: tracker 1 with a row twice (rows count once)
        };
        int[] labels = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5};

        int[] first = IdenticalTrackers.firstOfEach(rows, labels, 6);

        // tracker 4 joins tracker 0's topic through tracker 2
        assertThat(first).containsExactly(0, 1, 0, 3, 0, 1);
        boolean[] once = IdenticalTrackers.firstInTopic(rows, labels, first);
        int kept = 0;
        for (boolean k : once) {
            kept += k ? 1 : 0;
        }
        // topic 0: rows 1–6 and 30; topic 1: 9–12 (tracker 5 adds nothing); topic 3: its 7 rows, its own repeat kept
        assertThat(kept).isEqualTo(7 + 4 + 7);
    }
}
