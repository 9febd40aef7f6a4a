package io.opentrackers.common;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonToken;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Why a JSON document was refused, in the terms of JSON rather than Java: Jackson's own messages name the Java
 * types a value was bound to ({@code java.util.ArrayList<io.opentrackers.tracker.TrackerReference>}), which tell
 * a client nothing and show it the service's internals. Used with {@link JsonPaths}, which names the field.
 */
public final class JsonErrors {

    private static final int MAX_QUOTED = 60;

    private JsonErrors() {
    }

    /** The reason, without the field: "must be a string, was a number", "Unexpected end-of-input ...". */
    public static String reason(JacksonException error) {
        return reason(error, true);
    }

    /**
     * {@link #reason} for a document of one line (a line of a JSON Lines file, which the reader numbers itself):
     * where the parser stopped is given as a column only, since its "line 1" is not the line of the file.
     */
    public static String reasonWithinLine(JacksonException error) {
        return reason(error, false);
    }

    private static String reason(JacksonException error, boolean withLine) {
        if (error instanceof StreamConstraintsException) {
            // e.g. "Document nesting depth (501) exceeds the maximum allowed (500, from `StreamReadConstraints...`)":
            // the limit is the client's business, the name of the Jackson setting that holds it is not
            String message = firstLine(error.getOriginalMessage());
            int setting = message.indexOf(", from `");
            return setting < 0 ? message : message.substring(0, setting) + ")";
        }
        if (error instanceof StreamReadException) {
            String message = withoutParserSettings(withoutSourceReference(firstLine(error.getOriginalMessage())));
            // Jackson's words for a member given twice (StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            String duplicate = "Duplicate Object property ";
            return (message.startsWith(duplicate)
                    ? "the member " + message.substring(duplicate.length()) + " is given twice in one object"
                    : message) + where(error, withLine);
        }
        if (error instanceof Misspellings.MisspeltMembers misspelt) {
            return misspelt.getOriginalMessage();
        }
        if (error instanceof PropertyBindingException) {
            return "is not a known field";
        }
        if (error instanceof InvalidFormatException invalid) {
            String expected = expected(invalid.getTargetType());
            Object value = invalid.getValue();
            // a number or a boolean where a string belongs is named by its kind, as the service's own checks name it
            // ("must be a string, was a number"); a value of the right kind in the wrong form is quoted ('1.5')
            String kind = value instanceof Number ? "a number" : value instanceof Boolean ? "a boolean" : null;
            return "must be " + expected + ", was " + (kind != null && expected.equals("a string") ? kind : quote(value));
        }
        if (error instanceof MismatchedInputException mismatch && trailing(mismatch)) {
            String found = found(mismatch.getCurrentToken());
            return "the JSON document is followed by more content" + (found == null ? "" : " (" + found + ")")
                    + "; send one JSON value";
        }
        if (error instanceof MismatchedInputException mismatch) {
            String found = found(mismatch.getCurrentToken());
            return "must be " + expected(mismatch.getTargetType()) + (found == null ? "" : ", was " + found);
        }
        return "has a value of the wrong type or form";
    }

    /**
     * The fields a Jackson error names, each with why it was refused: every misspelt member of the document, or the
     * one value refused ({@link JsonPaths}); empty when the error is about the document as a whole (malformed JSON).
     */
    public static List<FieldViolation> violations(JacksonException error) {
        if (error instanceof Misspellings.MisspeltMembers misspelt) {
            return misspelt.violations();
        }
        String field = JsonPaths.of(error);
        return field.isEmpty() ? List.of() : List.of(FieldViolation.of(field, reason(error)));
    }

    /** The kind of a JSON value, as problems name what was sent: "a string", "a number", "an object", "null", ... */
    public static String kind(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.isArray() ? "an array" : "an object";
    }

    /** What JSON (or query parameter text) a Java type is read from: "a string", "a boolean (true or false)", ... */
    public static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean (true or false)";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class) {
            return "a whole number"; // "must be a number, was '1.5'" left the reader to guess what was wrong
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.") ? "an object"
                : "a value of another type";
    }

    /**
     * A value followed by more JSON ({@code {...} {...}}): Jackson reports it as a mismatch of the target type, which
     * would read "must be an object, was an object". Jackson has no type of its own for it, only its message.
     */
    private static boolean trailing(MismatchedInputException mismatch) {
        String message = mismatch.getOriginalMessage();
        return message != null && message.startsWith("Trailing token");
    }

    private static String found(JsonToken token) {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    private static String quote(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text) + "'";
    }

    /**
     * Jackson suggests a setting of its parser that would accept the input ("enable
     * `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", "Feature 'ALLOW_COMMENTS' not enabled for parser"): a
     * client cannot turn it on, and the service reads standard JSON only.
     */
    private static String withoutParserSettings(String message) {
        return message.replaceAll(":? ?enable `[A-Za-z_.]+` to allow", "")
                .replaceAll(" \\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)", "");
    }

    /**
     * Where in the body the parser stopped, so that a client finds the stray comma in a long document. Columns count
     * the bytes of the line, as the parser reads the UTF-8 body.
     */
    private static String where(JacksonException error, boolean withLine) {
        TokenStreamLocation location = error.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        if (!withLine) {
            return location.getColumnNr() < 1 ? "" : " at column " + location.getColumnNr();
        }
        return " at line " + location.getLineNr() + (location.getColumnNr() < 1 ? ""
                : ", column " + location.getColumnNr());
    }

    /** Jackson appends where a construct started, with a note on a Jackson setting: the position is in the detail. */
    private static String withoutSourceReference(String message) {
        int source = message.indexOf(" (start marker at [Source:");
        return source < 0 ? message : message.substring(0, source);
    }

    private static String firstLine(String message) {
        return message == null ? "malformed JSON" : message.lines().findFirst().orElse("malformed JSON");
    }
}
