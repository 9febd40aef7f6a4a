package io.opentrackers.common;

import java.util.List;

/**
 * The one rule for text that the service may store or look up: PostgreSQL's text types refuse the NUL character
 * (the statement fails), and a string with an unpaired UTF-16 surrogate ({@code "x\ud800y"}) has no UTF-8 form,
 * so the driver would store {@code ?} in its place and read back other text than was accepted. Every entry point
 * refuses such text with a 400 naming the field, before anything is stored or queried.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why {@code value} cannot be stored, or null when it can (null itself is left to the caller's rules). */
    public static String problem(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (\\u0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("contains an unpaired UTF-16 surrogate (\\u%04X) at index %d; text must be "
                        + "valid Unicode", (int) c, i);
            }
        }
        return null;
    }

    /** Adds a violation naming {@code field} when {@code value} cannot be stored; true when it can. */
    public static boolean check(String field, String value, List<FieldViolation> violations) {
        String problem = problem(value);
        if (problem != null) {
            violations.add(FieldViolation.of(field, problem));
        }
        return problem == null;
    }
}
