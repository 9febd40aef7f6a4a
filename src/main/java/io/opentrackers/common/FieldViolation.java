package io.opentrackers.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One reason a request was refused: the JSON path of the offending field (for example {@code vocabulary[3]}),
 * a human-readable reason, and for bulk requests the index of the item it belongs to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldViolation(Integer index, String field, String message) {

    public static FieldViolation of(String field, String message) {
        return new FieldViolation(null, field, message);
    }

    public FieldViolation atIndex(int itemIndex) {
        return new FieldViolation(itemIndex, field, message);
    }

    /** The violation as a sentence, prefixed by its item index when there is one. */
    public String describe() {
        String text = field == null ? message : field + ": " + message;
        return index == null ? text : "item " + index + ": " + text;
    }
}
