package io.opentrackers.embedding;

/** The model could not be loaded or failed to run; not caused by user input. */
public class EmbeddingModelException extends RuntimeException {

    public EmbeddingModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
