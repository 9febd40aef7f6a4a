package io.opentrackers.matching;

/**
 * A model that changes how texts get their vectors (reusing known ones, reporting progress, keeping them in a file)
 * but not which vectors they get: its id and dimension are those of the model it wraps, so vectors stored under that
 * id stay valid.
 */
public abstract class EmbeddingModelDecorator implements EmbeddingModel {

    protected final EmbeddingModel model;

    protected EmbeddingModelDecorator(EmbeddingModel model) {
        this.model = model;
    }

    @Override
    public final String id() {
        return model.id();
    }

    @Override
    public final int dimension() {
        return model.dimension();
    }

    @Override
    public final boolean reads(String text) {
        return model.reads(text);
    }
}
