package io.opentrackers.tracker;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.JsonErrors;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.Misspellings;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads tracker JSON strictly: a number where a string belongs (or a string where a number belongs) is a
 * 400 naming the field, rather than being silently converted. JSON {@code null} counts as absent. Fields the
 * service owns ({@code id}, dates, {@code version}) and unknown ones are ignored, so a GET result can be PUT back,
 * except a typo of a tracker's member ({@code "Vocabulary"}, {@code "speakers"}; {@link Misspellings}): ignoring it
 * created a tracker without what the client meant to give it.
 */
final class TrackerJson {

    /** The members read by {@link #read}: what a client sends to describe one tracker. */
    private static final List<String> TRACKER_FIELDS = List.of("name", "vocabulary", "description", "categories",
            "languages", "sensitivity", "speaker", "window", "exclude");
    /** A member that is a typo of one of these is refused naming the one meant; other unknown members are ignored. */
    private static final Misspellings TRACKER_MEMBERS = Misspellings.of(TRACKER_FIELDS);
    private static final Misspellings WINDOW_MEMBERS = Misspellings.of("anchor", "seconds", "messages");

    private TrackerJson() {
    }

    /** The member a read of one tracker answers it in: {@code {"tracker": {…}}}. */
    static final String ONE_MEMBER = "tracker";

    /**
     * One tracker object, bare or as a read answers it ({@code {"tracker": {…}}}, so that a read can be sent back as
     * it is), or an {@link InvalidInputException} naming every field of the wrong type.
     */
    static TrackerRequest read(JsonNode node) {
        List<FieldViolation> violations = new ArrayList<>();
        TrackerRequest request = read(unwrapped(node), "", violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return request;
    }

    /** Reads one tracker object, adding type violations (fields prefixed by {@code prefix}); null if any. */
    static TrackerRequest read(JsonNode node, String prefix, List<FieldViolation> violations) {
        if (node == null || !node.isObject()) {
            String field = prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1);
            violations.add(FieldViolation.of(field, "must be a JSON object describing a tracker, was " + kind(node)));
            return null;
        }
        int before = violations.size();
        TRACKER_MEMBERS.check(node, prefix, violations);
        TrackerRequest request = new TrackerRequest(
                string(node, "name", prefix, violations),
                strings(node, "vocabulary", prefix, violations),
                string(node, "description", prefix, violations),
                strings(node, "categories", prefix, violations),
                strings(node, "languages", prefix, violations),
                number(node, "sensitivity", prefix, violations),
                string(node, "speaker", prefix, violations),
                window(node, prefix, violations),
                strings(node, "exclude", prefix, violations));
        return violations.size() > before ? null : request;
    }

    /**
     * The tracker of {@code {"tracker": {…}}}; {@code node} itself otherwise. Until 2026-11-28 PUT ignored the member
     * and answered "name: is required", and POST took it for a typo of {@code trackers}.
     */
    private static JsonNode unwrapped(JsonNode node) {
        if (node == null || !node.isObject() || !node.has(ONE_MEMBER)) {
            return node;
        }
        List<String> fields = trackerFields(node);
        if (!fields.isEmpty()) {
            throw new InvalidInputException(ONE_MEMBER, "cannot be sent with the tracker fields "
                    + String.join(", ", fields) + "; send the tracker's fields alone, or as {\"tracker\": {…}}");
        }
        JsonNode tracker = node.get(ONE_MEMBER);
        if (!tracker.isObject()) {
            throw new InvalidInputException(ONE_MEMBER, "must be a JSON object describing a tracker, was "
                    + kind(tracker));
        }
        return tracker;
    }

    /** The members of {@code node} that describe a tracker, in the order a tracker lists them; empty if none. */
    static List<String> trackerFields(JsonNode node) {
        return TRACKER_FIELDS.stream().filter(node::has).toList();
    }

    /** {@code window}: an object with a string {@code anchor} and numbers {@code seconds} / {@code messages}. */
    private static WindowRequest window(JsonNode node, String prefix, List<FieldViolation> violations) {
        JsonNode value = node.get("window");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            violations.add(FieldViolation.of(prefix + "window", "must be an object such as {\"anchor\": \"start\", "
                    + "\"seconds\": 60}, was " + kind(value)));
            return null;
        }
        String field = prefix + "window.";
        WINDOW_MEMBERS.check(value, field, violations);
        return new WindowRequest(string(value, "anchor", field, violations), number(value, "seconds", field, violations),
                number(value, "messages", field, violations));
    }

    private static String string(JsonNode node, String member, String prefix, List<FieldViolation> violations) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            violations.add(FieldViolation.of(prefix + member, "must be a string, was " + kind(value)));
            return null;
        }
        return value.stringValue();
    }

    private static List<String> strings(JsonNode node, String member, String prefix, List<FieldViolation> violations) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            violations.add(FieldViolation.of(prefix + member, "must be an array of strings, was " + kind(value)));
            return null;
        }
        List<String> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isNull()) {
                items.add(null); // the rules name null items with their own message
            } else if (item.isString()) {
                items.add(item.stringValue());
            } else {
                violations.add(FieldViolation.of(prefix + member + "[" + i + "]", "must be a string, was " + kind(item)));
            }
        }
        return items;
    }

    private static Double number(JsonNode node, String member, String prefix, List<FieldViolation> violations) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            violations.add(FieldViolation.of(prefix + member, "must be a number, was " + kind(value)));
            return null;
        }
        // doubleValue() throws for integers beyond a double's range (a 400-digit value); through BigDecimal they
        // become Infinity, which the rules refuse naming the field, like any other out-of-range number
        return value.isBigInteger() || value.isBigDecimal() ? value.decimalValue().doubleValue() : value.doubleValue();
    }

    static String kind(JsonNode node) {
        return JsonErrors.kind(node);
    }
}
