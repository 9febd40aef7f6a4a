package io.opentrackers.evaluation;

import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.EmbeddingModelDecorator;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Embeds in slices and redraws one progress line (carriage return, no new line) on the error stream after each, so
 * that a run over ten thousand texts shows it is alive while standard output keeps only results. Slices are large
 * enough that the model still sorts and batches as in one call.
 */
final class ProgressReportingModel extends EmbeddingModelDecorator {

    static final int SLICE = 1024;

    private final String label;
    private final PrintWriter progress;

    ProgressReportingModel(EmbeddingModel model, String label, PrintWriter progress) {
        super(model);
        this.label = label;
        this.progress = progress;
    }

    @Override
    public float[][] embed(List<String> texts) {
        float[][] vectors = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += SLICE) {
            int to = Math.min(texts.size(), from + SLICE);
            float[][] slice = model.embed(texts.subList(from, to));
            System.arraycopy(slice, 0, vectors, from, slice.length);
            progress.printf(Locale.ROOT, "\rembedding %s: %d/%d (%d%%)", label, to, texts.size(),
                    100L * to / texts.size());
            progress.flush();
        }
        if (!texts.isEmpty()) {
            progress.println();
            progress.flush();
        }
        return vectors;
    }
}
