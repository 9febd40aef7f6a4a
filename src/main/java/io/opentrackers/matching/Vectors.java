package io.opentrackers.matching;

/** Arithmetic on embedding vectors shared by the matcher's parts. */
final class Vectors {

    private Vectors() {
    }

    /** Four independent sums, so the additions pipeline (a single float sum is one long dependency chain). */
    static float dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < a.length; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < a.length; j++) {
            s0 += a[j] * b[j];
        }
        return s0 + s1 + s2 + s3;
    }
}
