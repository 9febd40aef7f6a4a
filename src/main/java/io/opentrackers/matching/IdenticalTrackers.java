package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trackers that are (nearly) copies of one another: at least {@value #SAME_TOPIC} of their distinct rows (phrase
 * vectors, and for the classifier the positive examples it learns from) are the same. A user who duplicates a tracker
 * to try a change, or imports the same tracker twice, expects both to fire wherever the original did; decided as two
 * different topics they took each other's evidence away (each one's phrases were the other's "must not fire"
 * sentences, and the classifier split every span between them). So such trackers are decided as one topic: none is
 * evidence against another, and the classifier learns them as one class, from their rows taken once, and chooses them
 * together. Each still needs its own phrases to reach its own threshold. Copies with the same rows are then decided
 * exactly as the first of them is alone.
 */
final class IdenticalTrackers {

    /** The share of two trackers' distinct rows (shared / all, Jaccard) from which they are one topic. */
    static final double SAME_TOPIC = 0.5;

    private IdenticalTrackers() {
    }

    /** A row compared by its values. */
    private record Row(float[] values) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Row other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /**
     * For each tracker, the first tracker (lowest index) of its topic: of the trackers linked to it by sharing at
     * least {@value #SAME_TOPIC} of their distinct rows, directly or through others; itself when it shares that much
     * with none. A tracker without rows is nobody's copy.
     *
     * @param rows     the rows of every tracker
     * @param labels   the tracker (0..trackers-1) of each row
     * @param trackers how many trackers there are
     */
    static int[] firstOfEach(float[][] rows, int[] labels, int trackers) {
        List<Set<Row>> own = new ArrayList<>(trackers);
        for (int t = 0; t < trackers; t++) {
            own.add(new HashSet<>());
        }
        Map<Row, List<Integer>> holders = new HashMap<>();
        for (int r = 0; r < rows.length; r++) {
            Row row = new Row(rows[r]);
            if (own.get(labels[r]).add(row)) {
                holders.computeIfAbsent(row, k -> new ArrayList<>()).add(labels[r]);
            }
        }
        int[] first = new int[trackers];
        for (int t = 0; t < trackers; t++) {
            first[t] = t;
        }
        for (int t = 0; t < trackers; t++) {
            Map<Integer, Integer> shared = new HashMap<>();
            for (Row row : own.get(t)) {
                for (int other : holders.get(row)) {
                    if (other > t) {
                        shared.merge(other, 1, Integer::sum);
                    }
                }
            }
            for (Map.Entry<Integer, Integer> pair : shared.entrySet()) {
                int other = pair.getKey();
                int both = pair.getValue();
                double jaccard = both / (double) (own.get(t).size() + own.get(other).size() - both);
                if (jaccard >= SAME_TOPIC) {
                    join(first, t, other);
                }
            }
        }
        for (int t = 0; t < trackers; t++) {
            first[t] = root(first, t);
        }
        return first;
    }

    private static int root(int[] first, int t) {
        while (first[t] != t) {
            t = first[t];
        }
        return t;
    }

    /** Joins the topics of a and b under the lower of their first trackers. */
    private static void join(int[] first, int a, int b) {
        int ra = root(first, a);
        int rb = root(first, b);
        if (ra != rb) {
            first[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    /**
     * Each row but those another tracker of its topic had first: a topic's rows taken once, so that a copy adds
     * nothing to what its topic is learnt or calibrated from (a tracker's own rows are all kept, as without copies).
     */
    static boolean[] firstInTopic(float[][] rows, int[] labels, int[] first) {
        Map<Integer, Map<Row, Integer>> seen = new HashMap<>();
        boolean[] kept = new boolean[rows.length];
        for (int r = 0; r < rows.length; r++) {
            int tracker = labels[r];
            int holder = seen.computeIfAbsent(first[tracker], k -> new HashMap<>())
                    .computeIfAbsent(new Row(rows[r]), k -> tracker);
            kept[r] = holder == tracker;
        }
        return kept;
    }
}
