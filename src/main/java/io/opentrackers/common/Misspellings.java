package io.opentrackers.common;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;

/**
 * The one rule by which a name a request gives is a typo of a name it takes: they differ only by case, separators,
 * a plural ('s', or 'ies' for 'y') or two neighbouring letters swapped in a name of four letters or more
 * ({@code trackerIds} for {@code trackerId}, {@code webhookURL} for {@code webhookUrl}, {@code speaker_roles} for
 * {@code speakerRoles}, {@code vocabularies} for {@code vocabulary}, {@code paht} for {@code path}). Query parameters,
 * JSON members and the members a JSON-Patch path names alike: a client's unknown name is otherwise ignored (Symbl's
 * clients send many we do not read), so a typo was answered with success and a request other than the one meant. Any
 * other unknown name stays ignored: a letter missing, added or changed is not taken for a typo, as short names
 * ({@code to}, {@code id}, {@code op}) are one letter away from many that a client may send for its own reasons.
 */
public final class Misspellings {

    /** What a typo of a taken name is told, after the name it gave. */
    public static final String DID_YOU_MEAN = "; did you mean ";

    /** The shortest name in which two swapped letters count as a typo ({@code form} for {@code from}). */
    private static final int MIN_SWAPPED = 4;

    private final Set<String> names;
    private final Map<String, String> byLooseForm;

    private Misspellings(Collection<String> names) {
        this.names = Set.copyOf(names);
        Map<String, String> loose = new HashMap<>();
        names.forEach(name -> loose.put(looseForm(name), name));
        this.byLooseForm = Map.copyOf(loose);
    }

    /** The names an endpoint or a JSON object takes. */
    public static Misspellings of(Collection<String> names) {
        return new Misspellings(names);
    }

    public static Misspellings of(String... names) {
        return new Misspellings(List.of(names));
    }

    /** The name a typo meant, or null when the name is taken as it is or resembles none. */
    public String meant(String given) {
        if (names.contains(given)) {
            return null;
        }
        String loose = looseForm(given);
        String meant = byLooseForm.get(loose);
        for (int i = 0; meant == null && loose.length() >= MIN_SWAPPED && i + 1 < loose.length(); i++) {
            meant = byLooseForm.get(swapped(loose, i));
        }
        return meant;
    }

    /**
     * Adds a violation, named {@code prefix + member}, for each member of {@code object} that is a typo of a name
     * taken; for bodies read as a JSON tree rather than bound by Jackson (which {@link MisspeltMembers} reports).
     */
    public void check(JsonNode object, String prefix, List<FieldViolation> violations) {
        if (object == null || !object.isObject()) {
            return;
        }
        for (String member : object.propertyNames()) {
            String meant = meant(member);
            if (meant != null) {
                violations.add(FieldViolation.of(prefix + member, reason(meant)));
            }
        }
    }

    /** "is not a known field; did you mean vocabulary?" */
    public static String reason(String what, String meant) {
        return "is not " + what + DID_YOU_MEAN + meant + "?";
    }

    /** Why a JSON member that is a typo of one its object takes is refused. */
    public static String reason(String meant) {
        return reason("a known field", meant);
    }

    /**
     * The JSON members Jackson was binding that are typos of members their objects take, each named by its path as
     * any Jackson error's field is ({@link JsonPaths}), all of one document: a client fixing its body learns of every
     * typo at once, as trackers and examples (read as JSON trees, {@link #check}) always told it.
     */
    public static final class MisspeltMembers extends DatabindException {

        private final List<FieldViolation> violations;

        public MisspeltMembers(JsonParser parser, List<FieldViolation> violations) {
            this(parser, new InvalidInputException(violations));
        }

        private MisspeltMembers(JsonParser parser, InvalidInputException listed) {
            super(parser, listed.getMessage());
            this.violations = listed.violations();
        }

        /**
         * Each misspelt member, by its path, in the order found (as many as a problem lists,
         * {@link InvalidInputException#MAX_LISTED}; the message counts the rest).
         */
        public List<FieldViolation> violations() {
            return violations;
        }
    }

    /** A name as a typo may spell it: case, separators and a plural ('s', 'ies' for 'y') do not count. */
    static String looseForm(String name) {
        String letters = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (letters.endsWith("ies")) {
            return letters.substring(0, letters.length() - 3) + "y";
        }
        return letters.endsWith("s") ? letters.substring(0, letters.length() - 1) : letters;
    }

    private static String swapped(String text, int at) {
        char[] letters = text.toCharArray();
        char first = letters[at];
        letters[at] = letters[at + 1];
        letters[at + 1] = first;
        return new String(letters);
    }
}
