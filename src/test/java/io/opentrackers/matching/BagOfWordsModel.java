package io.opentrackers.matching;

import java.util.List;
import java.util.Locale;

/**
 * A deterministic stand-in for a sentence encoder: each word hashes to one of 4096 dimensions, a text's vector
 * is its normalised word counts. Cosine similarity is then word overlap, easy to reason
 * about in tests. Counts the texts it embedded.
 */
public final class BagOfWordsModel implements EmbeddingModel {

    private static final int DIMENSION = 4096;
    private final String id;
    private int embedded;

    public BagOfWordsModel() {
        this("bag-of-words");
    }

    public BagOfWordsModel(String id) {
        this.id = id;
    }

    /** How many texts this model has embedded so far. */
    public synchronized int embedded() {
        return embedded;
    }

    @Override
    public synchronized float[][] embed(List<String> texts) {
        embedded += texts.size();
        float[][] vectors = new float[texts.size()][DIMENSION];
        for (int i = 0; i < texts.size(); i++) {
            for (String word : texts.get(i).toLowerCase(Locale.ROOT).split("[^a-z0-9']+")) {
                if (word.isEmpty()) {
                    continue;
                }
                vectors[i][Math.floorMod(word.hashCode(), DIMENSION)] += 1;
            }
            double norm = 0;
            for (float v : vectors[i]) {
                norm += v * v;
            }
            for (int d = 0; d < DIMENSION; d++) {
                vectors[i][d] /= (float) Math.sqrt(norm);
            }
        }
        return vectors;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }
}
