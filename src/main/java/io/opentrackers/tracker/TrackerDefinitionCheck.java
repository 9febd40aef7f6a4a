package io.opentrackers.tracker;

import io.opentrackers.common.FieldViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * The Management API's rules for a tracker's name and vocabulary ({@link TrackerRules}, with the documented default
 * limits), for trackers that come from a file rather than a request: the offline commands' data sets. A tracker the
 * service would refuse cannot be measured as the service would run it, so such a file is refused with the same
 * reasons the API gives.
 */
public final class TrackerDefinitionCheck {

    private static final TrackerRules RULES = new TrackerRules(TrackerLimits.defaults());

    private TrackerDefinitionCheck() {
    }

    /** Every rule the tracker breaks, each naming its field ({@code vocabulary[2]}); empty when it is accepted. */
    public static List<FieldViolation> violations(String name, List<String> vocabulary) {
        List<FieldViolation> violations = new ArrayList<>();
        RULES.check(new TrackerRequest(name, vocabulary, null, null, null, null), "", violations);
        return violations;
    }

    /** The form names are compared in: two names of one form are one tracker to the service. */
    public static String nameForm(String name) {
        return TrackerRules.nameForm(name);
    }
}
