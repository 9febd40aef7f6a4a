package io.opentrackers.matching;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * A kernel's matrices of {@link SimilarityKernel#prepareShared}, by the identity of their rows array: the reference
 * sentences' rows are one array per model for the whole process, so every index of an account shares one prepared
 * copy of them instead of packing its own (about 1 MB of native memory per index with ONNX Runtime's kernel).
 */
public final class SharedMatrices {

    // arrays compare by identity, so a weak map keyed by the array is an identity map
    private final Map<float[][], SimilarityKernel.PreparedMatrix> byRows =
            Collections.synchronizedMap(new WeakHashMap<>());

    public SimilarityKernel.PreparedMatrix of(float[][] rows, Function<float[][], SimilarityKernel.PreparedMatrix> prepare) {
        return byRows.computeIfAbsent(rows, prepare);
    }
}
