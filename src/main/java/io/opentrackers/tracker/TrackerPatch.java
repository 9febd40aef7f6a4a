package io.opentrackers.tracker;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.Misspellings;
import io.opentrackers.common.TextForms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-Patch (RFC 6902) restricted to what a tracker allows: {@code add}, {@code replace}, {@code remove} and
 * {@code test} on {@code /name}, {@code /description}, {@code /categories}, {@code /languages}, {@code /vocabulary},
 * {@code /sensitivity}, {@code /speaker}, {@code /window}, {@code /exclude}, and on the items of the list members
 * ({@code /vocabulary/-}, {@code /vocabulary/N}, {@code /exclude/-} …).
 * The operations are checked when the patch is parsed, their values by the rules of their members
 * ({@link #checkValues}), then applied in order to a JSON copy of the tracker, and the result is read and validated
 * exactly like a PUT body.
 *
 * <p>The two checks answer different questions. What {@link #checkValues} finds is wrong whatever the tracker holds
 * (a blank name, a phrase with '?', a number for a name): the request is bad, 400. What only applying finds (an index
 * beyond the list, replacing an absent description, a phrase that repeats one the tracker has, four phrases left)
 * depends on the tracker's state, which a concurrent PUT or PATCH may just have changed: the service reports a
 * conflict (409) instead, as RFC 5789 suggests, so that valid patches racing each other never get a 400.
 */
final class TrackerPatch implements UnaryOperator<TrackerRequest> {

    private static final Set<String> MEMBERS = Set.of("name", "description", "categories", "languages",
            "vocabulary", "sensitivity", "speaker", "window", "exclude");
    /** The members of an operation object (RFC 6902; {@code from} belongs to move and copy, which are refused). */
    private static final Misspellings OPERATION_MEMBERS = Misspellings.of("op", "path", "value", "from");
    /** The tracker members a path may name, for a path that misspells one. */
    private static final Misspellings PATCHED_MEMBERS = Misspellings.of(MEMBERS);
    private static final int SHOWN_LENGTH = 200;
    private static final Set<String> LISTS = Set.of("categories", "languages", "vocabulary", "exclude");
    /** {@code /member} or {@code /member/-} or {@code /member/N} (JSON Pointer indexes have no leading zeros). */
    private static final Pattern PATH = Pattern.compile("/([a-z]+)(?:/(-|0|[1-9][0-9]*))?");

    private record Operation(int index, String op, String member, String item, JsonNode value) {
    }

    /**
     * Which operation put an item into a list, and the field of the patch that holds it; null stands for an item the
     * tracker held before the patch.
     */
    private record Origin(int operation, String field) {
        /** The tracker's own items first, then by operation. */
        static final Comparator<Origin> ORDER = Comparator.nullsFirst(Comparator.comparingInt(Origin::operation));
    }

    private final List<Operation> operations;
    private final JsonMapper jsonMapper;

    private TrackerPatch(List<Operation> operations, JsonMapper jsonMapper) {
        this.operations = operations;
        this.jsonMapper = jsonMapper;
    }

    /** Parses a patch document; every malformed operation is reported at once. */
    static TrackerPatch parse(JsonNode document, JsonMapper jsonMapper) {
        if (document == null || !document.isArray()) {
            throw new InvalidInputException("body", "a JSON-Patch must be an array of operations, was "
                    + TrackerJson.kind(document) + patchFor(document, jsonMapper));
        }
        List<FieldViolation> violations = new ArrayList<>();
        List<Operation> operations = new ArrayList<>();
        for (int i = 0; i < document.size(); i++) {
            Operation operation = parseOperation(document.get(i), i, violations);
            if (operation != null) {
                operations.add(operation);
            }
        }
        if (document.isEmpty()) {
            violations.add(FieldViolation.of("body", "a JSON-Patch needs at least one operation"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new TrackerPatch(operations, jsonMapper);
    }

    /**
     * For an object of tracker members ({@code {"speaker": "agent"}}, what a client used to merge patches sends), the
     * patch that does what it meant, ready to copy: the error alone left the user to learn RFC 6902 from the docs.
     * {@code add} sets a member whether the tracker has it or not; {@code replace} fails on an absent description.
     */
    private static String patchFor(JsonNode document, JsonMapper jsonMapper) {
        if (document == null || !document.isObject()) {
            return "";
        }
        ArrayNode patch = jsonMapper.createArrayNode();
        for (String member : document.propertyNames()) {
            if (MEMBERS.contains(member)) {
                patch.addObject().put("op", "add").put("path", "/" + member).set("value", document.get(member));
            }
        }
        return patch.isEmpty() ? "" : "; to set these members send " + shown(patch)
                + " (PUT replaces the whole tracker)";
    }

    private static Operation parseOperation(JsonNode node, int i, List<FieldViolation> violations) {
        String field = "patch[" + i + "]";
        if (!node.isObject()) {
            violations.add(FieldViolation.of(field, "must be an operation object, was " + TrackerJson.kind(node)));
            return null;
        }
        JsonNode opNode = node.get("op");
        JsonNode pathNode = node.get("path");
        String op = opNode != null && opNode.isString() ? opNode.stringValue() : null;
        String path = pathNode != null && pathNode.isString() ? pathNode.stringValue() : null;
        int before = violations.size();
        // a misspelt member ({"Op": …}, "paht") is named with the one meant, which is then not said to be missing
        OPERATION_MEMBERS.check(node, field + ".", violations);
        Set<String> misspelt = new HashSet<>();
        node.propertyNames().forEach(member -> misspelt.add(OPERATION_MEMBERS.meant(member)));
        if (op == null) {
            if (node.has("op") || !misspelt.contains("op")) {
                violations.add(FieldViolation.of(field + ".op", "is required and must be a string"));
            }
        } else if (!Set.of("add", "replace", "remove", "test").contains(op)) {
            violations.add(FieldViolation.of(field + ".op", "'" + op
                    + "' is not supported; use add, replace, remove or test"));
        }
        Matcher matcher = path == null ? null : PATH.matcher(path);
        String meantPath = path == null ? null : meantPath(path);
        if (path == null) {
            if (node.has("path") || !misspelt.contains("path")) {
                violations.add(FieldViolation.of(field + ".path", "is required and must be a string"));
            }
        } else if (meantPath != null) {
            violations.add(FieldViolation.of(field + ".path", "'" + path + "' "
                    + Misspellings.reason("a path of a tracker", meantPath)));
        } else if (!patchable(matcher)) {
            violations.add(FieldViolation.of(field + ".path", "'" + path + "' cannot be patched; use /name, "
                    + "/description, /categories, /languages, /vocabulary, /sensitivity, /speaker, /window, /exclude, "
                    + "or /vocabulary/- and /vocabulary/N (likewise for categories, languages and exclude)"));
        } else if ("-".equals(matcher.group(2)) && op != null && !"add".equals(op)) {
            violations.add(FieldViolation.of(field + ".path", "'" + path + "' only works with add (it appends)"));
        }
        boolean needsValue = "add".equals(op) || "replace".equals(op) || "test".equals(op);
        if (needsValue && !node.has("value") && !misspelt.contains("value")) {
            violations.add(FieldViolation.of(field + ".value", "is required for " + op));
        }
        if (violations.size() > before) {
            return null;
        }
        return new Operation(i, op, matcher.group(1), matcher.group(2), node.get("value"));
    }

    private static boolean patchable(Matcher matcher) {
        return matcher.matches() && MEMBERS.contains(matcher.group(1))
                && (matcher.group(2) == null || LISTS.contains(matcher.group(1)));
    }

    /**
     * The path meant by one whose member is misspelt ({@code /vocabularies/-}, {@code /Vocabulary/-} for
     * {@code /vocabulary/-}) or that lacks the leading {@code /} of a JSON Pointer ({@code name},
     * {@code vocabulary/-}), when that path can be patched; null for any other path.
     */
    private static String meantPath(String path) {
        if (path.isEmpty()) {
            return null;
        }
        if (!path.startsWith("/")) {
            String rooted = "/" + path;
            return patchable(PATH.matcher(rooted)) ? rooted : meantPath(rooted);
        }
        int end = path.indexOf('/', 1);
        String member = end < 0 ? path.substring(1) : path.substring(1, end);
        String meant = PATCHED_MEMBERS.meant(member);
        if (meant == null) {
            return null;
        }
        String corrected = "/" + meant + (end < 0 ? "" : path.substring(end));
        return patchable(PATH.matcher(corrected)) ? corrected : null;
    }

    /**
     * Checks each operation's value alone, by the rules of the member it writes: a member's new value
     * ({@code replace /name}, {@code remove /vocabulary}) must be valid as that member, an item's
     * ({@code add /vocabulary/-}) as one item of the list. Violations name the operation's value,
     * {@code patch[i].value} (with the place inside it: {@code patch[i].value[2]}, {@code patch[i].value.seconds}), or
     * for a {@code remove} of a required member its path.
     *
     * @throws InvalidInputException when a value is wrong whatever the tracker holds
     */
    void checkValues(TrackerRules rules) {
        List<FieldViolation> violations = new ArrayList<>();
        for (Operation operation : operations) {
            ObjectNode probe = jsonMapper.createObjectNode();
            String member = operation.member();
            boolean item = operation.item() != null;
            if (item && "remove".equals(operation.op()) || "test".equals(operation.op())) {
                continue; // removes an item of the tracker's own, which was valid; or only compares
            }
            if (item) {
                probe.putArray(member).add(operation.value());
            } else if ("remove".equals(operation.op())) {
                probe.putNull(member);
            } else {
                probe.set(member, operation.value());
            }
            List<FieldViolation> found = new ArrayList<>();
            TrackerRequest request = TrackerJson.read(probe, "", found);
            if (found.isEmpty()) {
                rules.check(request, "", found);
            }
            String value = "patch[" + operation.index() + "].value";
            for (FieldViolation violation : found) {
                String field = violation.field();
                if (item && field.startsWith(member + "[")) {
                    violations.add(FieldViolation.of(value, violation.message()));
                } else if (!item && "remove".equals(operation.op()) && field.equals(member)) {
                    violations.add(FieldViolation.of("patch[" + operation.index() + "].path", "/" + member + " "
                            + violation.message() + (violation.message().equals("is required")
                                    ? "; it can be replaced, not removed" : " once removed")));
                } else if (!item && (field.equals(member) || field.startsWith(member + "[")
                        || field.startsWith(member + "."))) {
                    // the operation that sent the value, as for an item: a patch may write the same member twice;
                    // a message that points at another place of the value ("repeats categories[0]") points there too
                    violations.add(FieldViolation.of(value + field.substring(member.length()),
                            violation.message().replace(member + "[", value + "[")));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

    /**
     * Applies the operations in order; an operation whose target does not exist fails naming it, and so does one that
     * puts into a list what the list already holds ({@link InvalidInputException}, which the service reports as a
     * conflict with the tracker's state).
     */
    @Override
    public TrackerRequest apply(TrackerRequest current) {
        ObjectNode tracker = jsonMapper.valueToTree(current);
        Map<String, List<Origin>> origins = new HashMap<>();
        for (String member : LISTS) {
            JsonNode list = tracker.get(member);
            int held = list instanceof ArrayNode items ? items.size() : 0;
            origins.put(member, new ArrayList<>(Collections.nCopies(held, (Origin) null)));
        }
        for (Operation operation : operations) {
            if ("test".equals(operation.op())) {
                test(tracker, operation);
            } else if (operation.item() == null) {
                applyToMember(tracker, operation, origins);
            } else {
                applyToItem(tracker, operation, origins.get(operation.member()));
            }
        }
        List<FieldViolation> repeats = new ArrayList<>();
        for (String member : List.of("categories", "languages", "vocabulary", "exclude")) {
            repeats.addAll(repeatsOfWhatWasAdded(tracker.get(member), member, origins.get(member)));
        }
        if (!repeats.isEmpty()) {
            throw new InvalidInputException(repeats);
        }
        List<FieldViolation> violations = new ArrayList<>();
        TrackerRequest patched = TrackerJson.read(tracker, "", violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return patched;
    }

    /**
     * The items the patch put into a list ({@code origins}: the field of the patch that gave each item, null for the
     * tracker's own) that repeat another item of the list, each named by that field of the patch. The rules of the
     * patched tracker would name a position in the resulting list instead, and when the client inserts before the
     * label it repeats ({@code add /categories/0}), that position is the tracker's own label, which the client never
     * sent. A repeat inside one operation's value was refused before, by {@link #checkValues}.
     */
    private static List<FieldViolation> repeatsOfWhatWasAdded(JsonNode list, String member, List<Origin> origins) {
        if (!(list instanceof ArrayNode items) || items.size() != origins.size()) {
            return List.of();
        }
        boolean labels = "categories".equals(member) || "languages".equals(member);
        String same = labels ? TrackerRules.SAME_LABEL : TrackerRules.SAME_PHRASE;
        // per key, the item the others repeat: the tracker's own if it holds one, else what the earliest operation
        // added
        Map<String, Integer> kept = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).isString()) {
                String key = TextForms.key(items.get(i).stringValue());
                Integer first = kept.get(key);
                if (first == null || Origin.ORDER.compare(origins.get(i), origins.get(first)) < 0) {
                    kept.put(key, i);
                }
            }
        }
        List<FieldViolation> repeats = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Origin origin = origins.get(i);
            if (origin == null || !items.get(i).isString()) {
                continue;
            }
            int repeated = kept.get(TextForms.key(items.get(i).stringValue()));
            if (repeated == i) {
                continue;
            }
            String quoted = "\"" + TrackerRules.abbreviate(TextForms.trim(items.get(i).stringValue())) + "\"";
            String other = "\"" + TrackerRules.abbreviate(TextForms.trim(items.get(repeated).stringValue())) + "\"";
            String where = origins.get(repeated) == null ? ", which the tracker has in /" + member
                    : ", which " + origins.get(repeated).field() + " adds";
            repeats.add(FieldViolation.of(origin.field(), quoted + " repeats " + other + where + " (" + same + ")"));
        }
        return repeats;
    }

    private static void applyToMember(ObjectNode tracker, Operation operation, Map<String, List<Origin>> origins) {
        boolean present = tracker.has(operation.member()) && !tracker.get(operation.member()).isNull();
        // A Symbl tracker always had a description (empty until set), and Symbl's Go SDK sets one with replace on a
        // tracker created without it (its examples/trackers): that must not be a 409 here. Members that are ours
        // keep RFC 6902's rule that replace needs a value to be there.
        boolean alwaysThere = "description".equals(operation.member()) && "replace".equals(operation.op());
        if (!present && !"add".equals(operation.op()) && !alwaysThere) {
            throw failed(operation, "/" + operation.member() + " has no value to " + operation.op());
        }
        List<Origin> origin = origins.get(operation.member());
        if (origin != null) {
            origin.clear();
        }
        if ("remove".equals(operation.op())) {
            tracker.remove(operation.member());
        } else {
            tracker.set(operation.member(), operation.value());
            if (origin != null && operation.value() instanceof ArrayNode items) {
                for (int i = 0; i < items.size(); i++) {
                    origin.add(new Origin(operation.index(), "patch[" + operation.index() + "].value[" + i + "]"));
                }
            }
        }
    }

    private static void applyToItem(ObjectNode tracker, Operation operation, List<Origin> origins) {
        JsonNode list = tracker.get(operation.member());
        if (list == null || list.isNull()) {
            list = tracker.putArray(operation.member());
        }
        if (!(list instanceof ArrayNode items)) {
            throw failed(operation, "/" + operation.member() + " is not a list");
        }
        Origin origin = new Origin(operation.index(), "patch[" + operation.index() + "].value");
        if ("-".equals(operation.item())) {
            items.add(operation.value());
            origins.add(origin);
            return;
        }
        int index = index(operation.item());
        int bound = "add".equals(operation.op()) ? items.size() : items.size() - 1;
        if (index > bound) {
            throw failed(operation, "index " + operation.item() + " is out of range; /" + operation.member() + " has "
                    + items.size() + " items");
        }
        switch (operation.op()) {
            case "add" -> {
                items.insert(index, operation.value());
                origins.add(index, origin);
            }
            case "replace" -> {
                items.set(index, operation.value());
                origins.set(index, origin);
            }
            default -> {
                items.remove(index);
                origins.remove(index);
            }
        }
    }

    /**
     * A path's index: its digits, or {@link Integer#MAX_VALUE} beyond the range of an int, past every list's end
     * ({@code /vocabulary/2147483648} was refused as a path that "cannot be patched", while {@code /vocabulary/8}
     * of a shorter list was out of range).
     */
    private static int index(String digits) {
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    /**
     * RFC 6902 {@code test}: the value at the path (as the operations before left it) must equal the operation's
     * value, or the whole patch fails. Texts are compared in the form the service stores them
     * ({@link TextForms#normalize}: trimmed, NFC, single-spaced) and case-sensitively, so that a test passes on what
     * a GET showed whatever spacing the client's copy has; numbers by value ({@code 120} equals {@code 120.0}); an
     * object member that is null counts as absent.
     */
    private static void test(ObjectNode tracker, Operation operation) {
        String path = "/" + operation.member() + (operation.item() == null ? "" : "/" + operation.item());
        JsonNode actual = tracker.get(operation.member());
        if (operation.item() != null && actual != null) {
            int index = index(operation.item());
            actual = actual.isArray() && index < actual.size() ? actual.get(index) : null;
        }
        if (actual == null || actual.isNull()) {
            throw failed(operation, path + " has no value to test");
        }
        if (!sameValue(actual, operation.value())) {
            throw failed(operation, path + " is " + shown(actual) + ", not " + shown(operation.value()));
        }
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || a.isNull() || b == null || b.isNull()) {
            return (a == null || a.isNull()) && (b == null || b.isNull());
        }
        if (a.isString() && b.isString()) {
            return TextForms.normalize(a.stringValue()).equals(TextForms.normalize(b.stringValue()));
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> names = new TreeSet<>(a.propertyNames());
            names.addAll(b.propertyNames());
            return names.stream().allMatch(name -> sameValue(a.get(name), b.get(name)));
        }
        return a.equals(b);
    }

    /** A value in a failure message, cut short: a vocabulary can be 50 phrases long. */
    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > SHOWN_LENGTH ? text.substring(0, SHOWN_LENGTH) + "…" : text;
    }

    private static InvalidInputException failed(Operation operation, String reason) {
        return new InvalidInputException("patch[" + operation.index() + "]", operation.op() + " failed: " + reason);
    }
}
