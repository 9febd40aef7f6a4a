package io.opentrackers.embedding;

/** Told about every model run, for metrics; the offline commands run without one. */
@FunctionalInterface
interface RunObserver {

    RunObserver NONE = (texts, tokens, nanos) -> { };

    /**
     * @param texts  texts in the run
     * @param tokens padded length of the run (tokens per text)
     * @param nanos  time of the ONNX Runtime session run
     */
    void ran(int texts, int tokens, long nanos);
}
