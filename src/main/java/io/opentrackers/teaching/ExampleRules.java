package io.opentrackers.teaching;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.JsonErrors;
import io.opentrackers.common.Misspellings;
import io.opentrackers.common.StorableText;
import io.opentrackers.common.TextForms;
import io.opentrackers.matching.LabelledExample;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The rules of an example body: {@code {"text": "...", "match": true|false}} or a non-empty array of such objects,
 * bare or as {@code {"examples": [...]}} (what {@code GET .../examples} answers, so that it can be posted back).
 * A text is 1–1,000 characters (Unicode code points) and not blank, any punctuation, and is read in its stored form
 * ({@link TextForms#normalize}: trimmed, NFC, single spaces); {@code match} is a JSON boolean. Every broken rule is reported at once, by field, with the item's index for an array; nothing is stored
 * when one is broken.
 */
final class ExampleRules {

    static final int MAX_TEXT = 1000;
    /** A member that is a typo of one of these is refused naming the one meant; other unknown members are ignored. */
    private static final Misspellings EXAMPLE_MEMBERS = Misspellings.of("text", "match");
    private static final Misspellings BODY_MEMBERS = Misspellings.of("text", "match", "examples");

    private ExampleRules() {
    }

    static List<LabelledExample> read(JsonNode body) {
        List<FieldViolation> violations = new ArrayList<>();
        List<LabelledExample> examples = new ArrayList<>();
        // {"Text": "...", "match": true} is refused for the typo, not only for the text it lacks
        BODY_MEMBERS.check(body, "", violations);
        if (isList(body)) {
            // the answer of GET .../examples posted back as it is (copying one tracker's examples to another): a
            // user who did was told "text: is required; match: is required" about a body that holds both
            body = body.get("examples");
            if (!body.isArray()) {
                throw new InvalidInputException("examples", "must be an array of examples {\"text\": \"...\", "
                        + "\"match\": true|false}, was " + JsonErrors.kind(body));
            }
        }
        if (body != null && body.isArray()) {
            if (body.isEmpty()) {
                throw new InvalidInputException("body", "must contain at least one example");
            }
            for (int i = 0; i < body.size(); i++) {
                List<FieldViolation> item = new ArrayList<>();
                EXAMPLE_MEMBERS.check(body.get(i), "", item);
                examples.add(one(body.get(i), "", item));
                for (FieldViolation violation : item) {
                    violations.add(violation.atIndex(i));
                }
            }
        } else {
            examples.add(one(body, " or an array of them", violations));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return examples;
    }

    /**
     * Whether the body is one example object (not an array nor {@code {"examples": [...]}}): the answer of a write
     * that created it names it in {@code Location}, as the creation of one tracker does.
     */
    static boolean isOne(JsonNode body) {
        return body != null && body.isObject() && !isList(body);
    }

    /** {@code {"examples": [...]}} without the fields of one example: the shape {@code GET .../examples} answers. */
    private static boolean isList(JsonNode body) {
        return body != null && body.isObject() && body.has("examples") && !body.has("text") && !body.has("match");
    }

    /** {@code orArray}: what else the body could have been, for a whole body (an item cannot be an array). */
    private static LabelledExample one(JsonNode node, String orArray, List<FieldViolation> violations) {
        if (node == null || !node.isObject()) {
            violations.add(FieldViolation.of("body", "must be an example {\"text\": \"...\", \"match\": true|false}"
                    + orArray + ", was " + JsonErrors.kind(node)));
            return null;
        }
        String text = null;
        JsonNode textNode = node.get("text");
        if (textNode == null || textNode.isNull()) {
            violations.add(FieldViolation.of("text", "is required (1 to " + MAX_TEXT + " characters)"));
        } else if (!textNode.isString()) {
            violations.add(FieldViolation.of("text", "must be a string, was " + JsonErrors.kind(textNode)));
        } else {
            text = TextForms.normalize(textNode.stringValue());
            int length = text.codePointCount(0, text.length());
            if (text.isEmpty()) {
                violations.add(FieldViolation.of("text", "must not be blank"));
            } else if (length > MAX_TEXT) {
                violations.add(FieldViolation.of("text", "has " + length + " characters, at most " + MAX_TEXT
                        + " are allowed"));
            } else {
                StorableText.check("text", text, violations);
            }
        }
        JsonNode matchNode = node.get("match");
        if (matchNode == null || matchNode.isNull()) {
            violations.add(FieldViolation.of("match", "is required: true if the tracker should fire on the text,"
                    + " false if it should not"));
        } else if (!matchNode.isBoolean()) {
            violations.add(FieldViolation.of("match", "must be true or false, was " + JsonErrors.kind(matchNode)));
        }
        return text == null || matchNode == null || !matchNode.isBoolean() ? null
                : new LabelledExample(text, matchNode.booleanValue());
    }
}
