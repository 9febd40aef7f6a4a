package io.opentrackers.common;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * The one rule by which a name a request gives is a typo of a name it takes: they differ only by case, separators
 * or a plural 's' ({@code trackerIds} for {@code trackerId}, {@code webhookURL} for {@code webhookUrl},
 * {@code speaker_roles} for {@code speakerRoles}). Query parameters and JSON members alike: a client's unknown name is
 * otherwise ignored (Symbl's clients send many we do not read), so a typo was answered with success and a request
 * other than the one meant. Any other unknown name stays ignored.
 */
public final class Misspellings {

    /** What a typo of a taken name is told, after the name it gave. */
    public static final String DID_YOU_MEAN = "; did you mean ";

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
        return names.contains(given) ? null : byLooseForm.get(looseForm(given));
    }

    /**
     * Adds a violation, named {@code prefix + member}, for each member of {@code object} that is a typo of a name
     * taken; for bodies read as a JSON tree rather than bound by Jackson (which {@code MisspeltMembers} checks).
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
     * A JSON member Jackson was binding that is a typo of one its object takes; its path names the member, as any
     * Jackson error's does ({@link JsonPaths}).
     */
    public static final class MisspeltMember extends PropertyBindingException {

        private final String meant;

        public MisspeltMember(JsonParser parser, Object beanOrClass, String member, String meant,
                Collection<Object> known) {
            super(parser, "Member \"" + member + "\" is a typo of \"" + meant + "\"", parser.currentLocation(),
                    beanOrClass instanceof Class<?> type ? type : beanOrClass.getClass(), member, known);
            this.meant = meant;
            prependPath(beanOrClass, member);
        }

        public String meant() {
            return meant;
        }
    }

    /** A name as a typo may spell it: case, separators and a plural 's' do not count. */
    static String looseForm(String name) {
        String letters = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return letters.endsWith("s") ? letters.substring(0, letters.length() - 1) : letters;
    }
}
