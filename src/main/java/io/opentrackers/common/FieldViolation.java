package io.opentrackers.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One reason a request was refused: the JSON path of the offending field (for example {@code vocabulary[3]}),
 * a human-readable reason, and for bulk requests the index of the item it belongs to.
 * <p>
 * Field and reason are never null: a problem's {@code errors[]} and a stream's error notice promise both (the OpenAPI
 * document marks them required), so a violation built without one fails where it is built, not in a client.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldViolation(Integer index, String field, String message) {

    public FieldViolation {
        Objects.requireNonNull(field, "a violation names its field");
        Objects.requireNonNull(message, "a violation says why");
    }

    public static FieldViolation of(String field, String message) {
        return new FieldViolation(null, field, message);
    }

    public FieldViolation atIndex(int itemIndex) {
        return new FieldViolation(itemIndex, field, message);
    }

    /** The violation as a sentence, prefixed by its item index when there is one. */
    public String describe() {
        String text = field + ": " + message;
        return index == null ? text : "item " + index + ": " + text;
    }
}
