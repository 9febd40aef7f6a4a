package io.opentrackers.common;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The request's content breaks a rule; maps to 400 with every violation listed, up to {@value #MAX_LISTED}.
 * <p>
 * The bound exists because the answer would otherwise grow with the request: a 1 MB body of 200,000 bad phrases, or
 * an array of 340,000 empty objects, was answered with 145 MB and 176 MB problems (each violation in {@code detail},
 * {@code message} and {@code errors[]}), which a handful of parallel requests turn into an out-of-memory error.
 */
public class InvalidInputException extends RuntimeException {

    /**
     * Most violations one problem lists. More than a bulk request has items (it holds at most one account's
     * trackers, 500 by default), so that such an answer still names every bad item.
     */
    public static final int MAX_LISTED = 1000;

    private final List<FieldViolation> violations;

    public InvalidInputException(List<FieldViolation> violations) {
        this(listed(violations), violations.size());
    }

    public InvalidInputException(String field, String message) {
        this(List.of(FieldViolation.of(field, message)));
    }

    private InvalidInputException(List<FieldViolation> listed, int found) {
        super(describe(listed, found));
        this.violations = listed;
    }

    /** The listed violations: all of them, or {@value #MAX_LISTED} when there were more. */
    public List<FieldViolation> violations() {
        return violations;
    }

    private static String describe(List<FieldViolation> listed, int found) {
        String text = listed.stream().map(FieldViolation::describe).collect(Collectors.joining("; "));
        return found > listed.size() ? text + "; and " + (found - listed.size()) + " more (" + found
                + " in all; only the first " + listed.size() + " are listed)" : text;
    }

    /**
     * At most {@value #MAX_LISTED} violations, in their order. When some must be left out, each item of a bulk
     * request (each {@link FieldViolation#index}) keeps its first violation before any item gets a second one, so
     * that the answer names every bad item as long as there are not more than that.
     */
    static List<FieldViolation> listed(List<FieldViolation> violations) {
        if (violations.size() <= MAX_LISTED) {
            return List.copyOf(violations);
        }
        boolean[] keep = new boolean[violations.size()];
        int kept = 0;
        Set<Integer> items = new HashSet<>();
        for (int i = 0; i < violations.size() && kept < MAX_LISTED; i++) {
            Integer index = violations.get(i).index();
            if (index != null && items.add(index)) {
                keep[i] = true;
                kept++;
            }
        }
        for (int i = 0; i < violations.size() && kept < MAX_LISTED; i++) {
            if (!keep[i]) {
                keep[i] = true;
                kept++;
            }
        }
        List<FieldViolation> listed = new ArrayList<>(kept);
        for (int i = 0; i < violations.size(); i++) {
            if (keep[i]) {
                listed.add(violations.get(i));
            }
        }
        return List.copyOf(listed);
    }
}
