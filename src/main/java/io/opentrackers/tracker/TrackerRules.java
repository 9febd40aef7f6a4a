package io.opentrackers.tracker;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.StorableText;
import io.opentrackers.common.TextForms;
import io.opentrackers.matching.TrackerConditions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The rules every tracker obeys, whether it is managed (Management API) or inline in a conversation request.
 * Each broken rule becomes a {@link FieldViolation} naming the field, the value and the reason, so that one
 * answer tells the client everything that is wrong.
 */
@Component
final class TrackerRules {

    static final List<String> DEFAULT_LANGUAGES = List.of("en-US");

    /** BCP 47-shaped tags such as {@code en}, {@code en-US}, {@code zh-Hant-TW}. */
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final int MAX_DESCRIPTION_LENGTH = 4096;
    private static final List<String> SPEAKERS = List.of("any", "agent", "customer");
    /** Why two phrases are the same, as duplicate errors say it. */
    static final String SAME_PHRASE = "phrases are compared ignoring case, spacing and how accents are encoded";
    /** Why two categories (or language tags) are the same, as duplicate errors say it. */
    static final String SAME_LABEL = "labels are compared ignoring case, spacing and how accents are encoded";
    /** A day: windows are about the opening or closing minutes of a call, and longer ones are surely mistakes. */
    static final int MAX_WINDOW_SECONDS = 86_400;
    static final int MAX_WINDOW_MESSAGES = 10_000;

    private final TrackerLimits limits;

    TrackerRules(TrackerLimits limits) {
        this.limits = limits;
    }

    /** The accepted content, or an {@link InvalidInputException} listing every violation. */
    TrackerContent validate(TrackerRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        TrackerContent content = check(request, "", violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return content;
    }

    /**
     * Checks one tracker, adding violations whose field names start with {@code prefix} (e.g.
     * {@code trackers[2].}); returns the normalised content, or null when something was wrong.
     */
    TrackerContent check(TrackerRequest request, String prefix, List<FieldViolation> violations) {
        int before = violations.size();
        if (request == null) {
            violations.add(FieldViolation.of(prefix.isEmpty() ? "body" : stripDot(prefix),
                    "must be a tracker object, was null"));
            return null;
        }
        String name = checkName(request.name(), prefix, violations);
        List<String> vocabulary = checkVocabulary(request.vocabulary(), prefix, violations);
        String description = request.description();
        if (description != null && characters(description) > MAX_DESCRIPTION_LENGTH) {
            violations.add(FieldViolation.of(prefix + "description",
                    "must be at most " + MAX_DESCRIPTION_LENGTH + " characters, has " + characters(description)));
        } else {
            StorableText.check(prefix + "description", description, violations);
        }
        List<String> categories = checkLabels(request.categories(), prefix + "categories", violations);
        List<String> languages = checkLanguages(request.languages(), prefix, violations);
        checkSensitivity(request.sensitivity(), prefix, violations);
        TrackerConditions conditions = checkConditions(request, vocabulary, prefix, violations);
        if (violations.size() > before) {
            return null;
        }
        return new TrackerContent(name, vocabulary, description, categories, languages, request.sensitivity(),
                conditions);
    }

    /**
     * The name as {@link #check} accepts it (in its {@link #nameForm}), or null when the name itself breaks a rule: a bulk request
     * checks the names of items that break other rules too, to list every problem at once.
     */
    String checkedName(TrackerRequest request) {
        List<FieldViolation> ignored = new ArrayList<>();
        String name = checkName(request.name(), "", ignored);
        return ignored.isEmpty() ? name : null;
    }

    /**
     * Checks what an inline conversation tracker has: name, vocabulary, sensitivity and the conditions (speaker,
     * window, exclude).
     */
    TrackerContent checkInline(TrackerReference reference, String prefix, List<FieldViolation> violations) {
        return check(new TrackerRequest(reference.name(), reference.vocabulary(), null, null, null,
                reference.sensitivity(), reference.speaker(), reference.window(), reference.exclude()), prefix,
                violations);
    }

    /**
     * The {@code id} of a reference to a managed tracker ({@code {"id": ...}} in a conversation request): not
     * blank, and storable text, since it is looked up in the database. True when it may be looked up.
     */
    static boolean checkReferenceId(String id, String field, List<FieldViolation> violations) {
        if (id.isBlank()) {
            violations.add(FieldViolation.of(field, "must not be blank"));
            return false;
        }
        return StorableText.check(field, id, violations);
    }

    /**
     * The form a name is stored, compared and looked up in ({@link TextForms#normalize}: trimmed, NFC, each run of
     * spaces one plain space, whichever spaces they were), so that {@code ?name=} finds what a create with the same
     * text made, and names that read the same are one name: {@code "Pricing\u00a0Objection"}, pasted from a web page,
     * is {@code "Pricing Objection"}. Case is kept: {@code "Price"} and {@code "price"} are two names.
     */
    static String nameForm(String name) {
        return TextForms.normalize(name);
    }

    /**
     * The name in its {@link #nameForm}, after checking the text it was given: one line (no control character, no
     * line or paragraph separator), and nothing that shows as nothing inside it ({@link TextForms#hiddenCharacter}),
     * since a stored {@code "Pricing\u200bObjection"} would look like one name and be another.
     */
    private String checkName(String name, String prefix, List<FieldViolation> violations) {
        String field = prefix + "name";
        if (name == null) {
            violations.add(FieldViolation.of(field, "is required"));
            return null;
        }
        String given = TextForms.trim(name);
        String form = nameForm(name);
        if (form.isEmpty()) {
            violations.add(FieldViolation.of(field, "must not be blank"));
        } else if (characters(form) > limits.maxNameLength()) {
            violations.add(FieldViolation.of(field, "must be at most " + limits.maxNameLength()
                    + " characters, has " + characters(form)));
        } else if (StorableText.check(field, given, violations)) {
            String problem = nameProblem(given);
            if (problem != null) {
                violations.add(FieldViolation.of(field, problem));
            }
        }
        return form;
    }

    /** Why the trimmed text of a name is no name, or null. */
    private static String nameProblem(String given) {
        // a line break or a terminal's escape code is nothing anyone means in a name, and it breaks the lines
        // (lists, logs, exports) the name is shown in
        int control = given.codePoints().filter(cp -> Character.getType(cp) == Character.CONTROL).findFirst()
                .orElse(-1);
        if (control >= 0) {
            return "contains the control character " + describe(control) + "; a name is one line of text";
        }
        int separator = given.codePoints().filter(cp -> Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR).findFirst().orElse(-1);
        if (separator >= 0) {
            return "contains the " + (separator == 0x2028 ? "line" : "paragraph") + " separator "
                    + describe(separator) + "; a name is one line of text";
        }
        int hidden = TextForms.hiddenCharacter(given);
        if (hidden >= 0) {
            int cp = given.codePointAt(hidden);
            // what precedes it, so that the client can find it; at most 40 characters, never half a surrogate pair
            boolean longer = given.codePointCount(0, hidden) > 40;
            String before = given.substring(longer ? given.offsetByCodePoints(hidden, -40) : 0, hidden);
            String name = Character.getName(cp);
            return "contains the invisible character " + describe(cp) + (name == null ? "" : " (" + name + ")")
                    + " after \"" + (longer ? "..." : "") + before + "\"; a name holds only characters that show, so "
                    + "that names that read the same are the same name";
        }
        return null;
    }

    /** Length as people count it: characters (code points), not the UTF-16 units of an emoji's surrogate pair. */
    private static int characters(String text) {
        return text.codePointCount(0, text.length());
    }

    private List<String> checkVocabulary(List<String> vocabulary, String prefix, List<FieldViolation> violations) {
        String field = prefix + "vocabulary";
        if (vocabulary == null) {
            violations.add(FieldViolation.of(field, "is required (a list of " + limits.minPhrases() + " to "
                    + limits.maxPhrases() + " phrases)"));
            return null;
        }
        if (vocabulary.size() < limits.minPhrases() || vocabulary.size() > limits.maxPhrases()) {
            violations.add(FieldViolation.of(field, "must have " + limits.minPhrases() + " to "
                    + limits.maxPhrases() + " phrases, has " + vocabulary.size()));
        }
        return checkPhrases(vocabulary, field, violations);
    }

    /**
     * The rule of one phrase, for the vocabulary and the excluded phrases alike: non-blank, at most
     * {@code max-phrase-length} characters, letters, digits, spaces and . ' - only, at least one letter or digit,
     * no two the same under
     * {@link TextForms#key} (ignoring case, runs of spaces and how accents are encoded). Returns the phrases in their
     * stored form ({@link TextForms#normalize}).
     */
    private List<String> checkPhrases(List<String> given, String field, List<FieldViolation> violations) {
        List<String> phrases = new ArrayList<>(given.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < given.size(); i++) {
            String phraseField = field + "[" + i + "]";
            String phrase = given.get(i);
            if (phrase == null) {
                violations.add(FieldViolation.of(phraseField, "must be a phrase, was null"));
                continue;
            }
            String trimmed = TextForms.trim(phrase);
            String stored = TextForms.normalize(trimmed);
            phrases.add(stored);
            if (trimmed.isEmpty()) {
                violations.add(FieldViolation.of(phraseField, "must not be blank"));
                continue;
            }
            if (characters(stored) > limits.maxPhraseLength()) {
                violations.add(FieldViolation.of(phraseField, "\"" + abbreviate(trimmed) + "\" is "
                        + characters(stored) + " characters long; at most " + limits.maxPhraseLength()
                        + " are allowed"));
            }
            int bad = firstDisallowedCodePoint(trimmed);
            if (!StorableText.check(phraseField, trimmed, violations)) {
                continue; // the phrase cannot even be quoted back; the character rule would repeat the same finding
            }
            if (bad >= 0) {
                violations.add(FieldViolation.of(phraseField, "\"" + abbreviate(trimmed) + "\" contains "
                        + describe(bad) + " which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)"));
            } else if (trimmed.codePoints().noneMatch(Character::isLetterOrDigit)) {
                // nothing a sentence says can match it, by meaning or literally
                violations.add(FieldViolation.of(phraseField, "\"" + abbreviate(trimmed) + "\" has no letter or "
                        + "digit; a phrase of punctuation alone matches nothing"));
            }
            Integer first = seen.putIfAbsent(TextForms.key(stored), i);
            if (first != null) {
                violations.add(FieldViolation.of(phraseField, "\"" + abbreviate(trimmed) + "\" repeats "
                        + field + "[" + first + "] (" + SAME_PHRASE + ")"));
            }
        }
        return phrases;
    }

    /** The first character outside letters (any script, with their combining marks), digits, spaces and . ' - */
    static int firstDisallowedCodePoint(String phrase) {
        return phrase.codePoints().filter(cp -> !allowed(cp)).findFirst().orElse(-1);
    }

    private static boolean allowed(int cp) {
        if (cp == ' ' || cp == '.' || cp == '\'' || cp == '-') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                    Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER, Character.SPACE_SEPARATOR -> true;
            default -> false;
        };
    }

    /** Visible characters are quoted; invisible ones are named by code point so the client can find them. */
    private static String describe(int cp) {
        if (Character.isISOControl(cp) || TextForms.isInvisible(cp)) {
            return String.format("U+%04X", cp);
        }
        return "'" + Character.toString(cp) + "'";
    }

    /** The first 77 characters and "..." for a long text; never cuts a surrogate pair (half of one is no text). */
    static String abbreviate(String phrase) {
        return characters(phrase) <= 80 ? phrase : phrase.substring(0, phrase.offsetByCodePoints(0, 77)) + "...";
    }

    /** Two categories (or two language tags) with the same key are the same label ({@link #SAME_LABEL}). */
    static String labelKey(String label) {
        return TextForms.key(label);
    }

    /**
     * Categories and languages: at most {@code max-categories} labels of at most {@code max-category-length}, no two
     * the same under {@link TextForms#key}, for create, bulk, PUT and the result of a PATCH alike.
     */
    private List<String> checkLabels(List<String> labels, String field, List<FieldViolation> violations) {
        if (labels == null) {
            return List.of();
        }
        if (labels.size() > limits.maxCategories()) {
            // One violation for the list, not one per label: the items are not looked at, so a huge list costs
            // nothing more than counting it.
            violations.add(FieldViolation.of(field, "must have at most " + limits.maxCategories() + " items, has "
                    + labels.size()));
            return List.of();
        }
        List<String> trimmed = new ArrayList<>(labels.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i) == null ? null : TextForms.trim(labels.get(i));
            if (label == null || label.isEmpty()) {
                violations.add(FieldViolation.of(field + "[" + i + "]", "must be a non-blank string"));
            } else if (characters(label) > limits.maxCategoryLength()) {
                violations.add(FieldViolation.of(field + "[" + i + "]", "must be at most "
                        + limits.maxCategoryLength() + " characters, has " + characters(label)));
            } else if (StorableText.check(field + "[" + i + "]", label, violations)) {
                // a list of labels is a set: ["sales", "Sales"] was stored as two, and filters saw both
                Integer first = seen.putIfAbsent(labelKey(label), i);
                if (first != null) {
                    violations.add(FieldViolation.of(field + "[" + i + "]", "\"" + abbreviate(label) + "\" repeats "
                            + field + "[" + first + "] (" + SAME_LABEL + ")"));
                } else {
                    trimmed.add(label);
                }
            }
        }
        return trimmed;
    }

    private List<String> checkLanguages(List<String> languages, String prefix,
            List<FieldViolation> violations) {
        if (languages == null || languages.isEmpty()) {
            return DEFAULT_LANGUAGES;
        }
        String field = prefix + "languages";
        List<String> tags = checkLabels(languages, field, violations);
        if (languages.size() > limits.maxCategories()) {
            return tags; // refused as a whole above
        }
        for (int i = 0; i < languages.size(); i++) {
            String tag = languages.get(i);
            if (tag != null && !TextForms.isBlank(tag) && !LANGUAGE_TAG.matcher(TextForms.trim(tag)).matches()) {
                violations.add(FieldViolation.of(field + "[" + i + "]",
                        "\"" + tag + "\" is not a language tag such as en-US"));
            }
        }
        return tags;
    }

    /** {@code speaker}, {@code window} and {@code exclude}; null when one of them is wrong. */
    private TrackerConditions checkConditions(TrackerRequest request, List<String> vocabulary, String prefix,
            List<FieldViolation> violations) {
        int before = violations.size();
        String speaker = request.speaker();
        if (speaker != null && !SPEAKERS.contains(speaker)) {
            violations.add(FieldViolation.of(prefix + "speaker", "must be one of any, agent, customer, was '"
                    + abbreviate(speaker) + "'"));
        }
        TrackerConditions.Window window = checkWindow(request.window(), prefix + "window", violations);
        List<String> exclude = List.of();
        if (request.exclude() != null) {
            String field = prefix + "exclude";
            if (request.exclude().size() > limits.maxPhrases()) {
                violations.add(FieldViolation.of(field, "must have 0 to " + limits.maxPhrases() + " phrases, has "
                        + request.exclude().size()));
            } else {
                exclude = checkPhrases(request.exclude(), field, violations);
                checkNotInVocabulary(exclude, vocabulary, prefix, violations);
            }
        }
        return violations.size() > before ? null : new TrackerConditions(speaker, window, exclude);
    }

    private static TrackerConditions.Window checkWindow(WindowRequest window, String field,
            List<FieldViolation> violations) {
        if (window == null) {
            return null;
        }
        int before = violations.size();
        if (window.anchor() == null) {
            violations.add(FieldViolation.of(field + ".anchor", "is required: start or end"));
        } else if (!window.anchor().equals("start") && !window.anchor().equals("end")) {
            violations.add(FieldViolation.of(field + ".anchor", "must be start or end, was '"
                    + abbreviate(window.anchor()) + "'"));
        }
        if ((window.seconds() == null) == (window.messages() == null)) {
            violations.add(FieldViolation.of(field, "must have exactly one of seconds and messages"));
        }
        Integer seconds = whole(window.seconds(), MAX_WINDOW_SECONDS, field + ".seconds", violations);
        Integer messages = whole(window.messages(), MAX_WINDOW_MESSAGES, field + ".messages", violations);
        return violations.size() > before ? null : new TrackerConditions.Window(window.anchor(), seconds, messages);
    }

    private static Integer whole(Double value, int max, String field, List<FieldViolation> violations) {
        if (value == null) {
            return null;
        }
        if (!(value >= 1 && value <= max) || value != Math.rint(value)) {
            violations.add(FieldViolation.of(field, "must be a whole number from 1 to " + max + ", was "
                    + (value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf(value.longValue())
                    : String.valueOf(value))));
            return null;
        }
        return value.intValue();
    }

    /** An excluded phrase that is also a vocabulary phrase would keep the tracker from firing on its own phrase. */
    private static void checkNotInVocabulary(List<String> exclude, List<String> vocabulary, String prefix,
            List<FieldViolation> violations) {
        if (vocabulary == null) {
            return;
        }
        Map<String, Integer> phrases = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            phrases.putIfAbsent(TextForms.key(vocabulary.get(i)), i);
        }
        for (int i = 0; i < exclude.size(); i++) {
            Integer same = phrases.get(TextForms.key(exclude.get(i)));
            if (same != null) {
                violations.add(FieldViolation.of(prefix + "exclude[" + i + "]", "\"" + abbreviate(exclude.get(i))
                        + "\" is also " + prefix + "vocabulary[" + same + "]; a tracker cannot exclude its own phrase"));
            }
        }
    }

    private static void checkSensitivity(Double sensitivity, String prefix, List<FieldViolation> violations) {
        if (sensitivity != null && !(sensitivity >= 0.0 && sensitivity <= 1.0)) {
            violations.add(FieldViolation.of(prefix + "sensitivity",
                    "must be between 0.0 and 1.0 (higher finds more hits; leave it out for the calibrated default), was "
                            + sensitivity));
        }
    }

    private static String stripDot(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
