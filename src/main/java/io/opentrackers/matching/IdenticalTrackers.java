package io.opentrackers.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trackers that are copies of one another: the same rows (phrase vectors, and for the classifier the positive
 * examples it learns from), in any order. A user who duplicates a tracker to try a change, or imports the same tracker
 * twice, expects both to fire wherever the original did; decided as two different topics they would take each
 * other's evidence away (each one's phrases would be the other's "must not fire" sentences, and the classifier would
 * split every span between them). So a copy is decided as the tracker it copies: it is left out of that tracker's
 * calibration evidence, and the classifier learns the two as one class and chooses both.
 */
final class IdenticalTrackers {

    private IdenticalTrackers() {
    }

    /**
     * For each tracker, the first tracker (lowest index) whose rows are the same multiset as its own; itself when no
     * earlier tracker has its rows. A tracker without rows is nobody's copy.
     *
     * @param rows     the rows of every tracker
     * @param labels   the tracker (0..trackers-1) of each row
     * @param trackers how many trackers there are
     */
    static int[] firstOfEach(float[][] rows, int[] labels, int trackers) {
        List<List<float[]>> own = new ArrayList<>(trackers);
        for (int t = 0; t < trackers; t++) {
            own.add(new ArrayList<>());
        }
        for (int r = 0; r < rows.length; r++) {
            own.get(labels[r]).add(rows[r]);
        }
        int[] first = new int[trackers];
        Map<Integer, List<Integer>> byHash = new HashMap<>();
        for (int t = 0; t < trackers; t++) {
            first[t] = t;
            List<float[]> mine = own.get(t);
            if (mine.isEmpty()) {
                continue;
            }
            mine.sort(Arrays::compare);
            int hash = 1;
            for (float[] row : mine) {
                hash = 31 * hash + Arrays.hashCode(row);
            }
            List<Integer> sameHash = byHash.computeIfAbsent(hash, h -> new ArrayList<>());
            for (int earlier : sameHash) {
                if (sameRows(own.get(earlier), mine)) {
                    first[t] = earlier;
                    break;
                }
            }
            if (first[t] == t) {
                sameHash.add(t);
            }
        }
        return first;
    }

    private static boolean sameRows(List<float[]> a, List<float[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
