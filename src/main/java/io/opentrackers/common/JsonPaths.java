package io.opentrackers.common;

import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * How every error names a field of a JSON document: {@code messages[2].payload.content}, the same path the
 * rules of {@link FieldViolation} use, whether the value was refused while reading JSON (REST bodies, streaming
 * frames) or by a rule afterwards.
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    /** The path of the value a Jackson error is about; empty when it is about the document as a whole. */
    public static String of(JacksonException error) {
        return of(error.getPath());
    }

    static String of(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
