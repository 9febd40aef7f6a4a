package io.opentrackers.evaluation;

import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.EmbeddingModelDecorator;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model whose vectors are kept in a file between runs (texts embedded once, whatever the command's other
 * options), so that repeated simulations over one data set skip the embedding. The file is tied to the model id.
 */
final class VectorFileCache extends EmbeddingModelDecorator {

    private final Path file;
    private final Map<String, float[]> vectors = new LinkedHashMap<>();

    VectorFileCache(EmbeddingModel model, Path file) throws IOException {
        super(model);
        this.file = file;
        if (Files.exists(file)) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                if (!in.readUTF().equals(model.id())) {
                    return;
                }
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    String text = in.readUTF();
                    float[] v = new float[in.readInt()];
                    for (int d = 0; d < v.length; d++) {
                        v[d] = in.readFloat();
                    }
                    vectors.put(text, v);
                }
            }
        }
    }

    @Override
    public float[][] embed(List<String> texts) {
        List<String> missing = new ArrayList<>(texts.stream().filter(t -> !vectors.containsKey(t)).distinct().toList());
        if (!missing.isEmpty()) {
            float[][] fresh = model.embed(missing);
            for (int i = 0; i < missing.size(); i++) {
                vectors.put(missing.get(i), fresh[i]);
            }
            save();
        }
        return texts.stream().map(vectors::get).toArray(float[][]::new);
    }

    private void save() {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeUTF(model.id());
            out.writeInt(vectors.size());
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float x : e.getValue()) {
                    out.writeFloat(x);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
