package io.opentrackers.tracker;

import io.opentrackers.matching.TrackerConditions;
import java.util.List;

/**
 * The user-owned part of a tracker after {@link TrackerRules} accepted it: trimmed name and phrases,
 * defaults filled in ({@code languages} = ["en-US"], empty categories, no conditions).
 *
 * @param sensitivity 0.0–1.0, higher finds more hits; null means the calibrated default
 * @param conditions  speaker, window and excluded phrases
 */
record TrackerContent(String name, List<String> vocabulary, String description, List<String> categories,
        List<String> languages, Double sensitivity, TrackerConditions conditions) {

    TrackerContent {
        vocabulary = List.copyOf(vocabulary);
        categories = List.copyOf(categories);
        languages = List.copyOf(languages);
        conditions = conditions == null ? TrackerConditions.NONE : conditions;
    }

    TrackerContent(String name, List<String> vocabulary, String description, List<String> categories,
            List<String> languages, Double sensitivity) {
        this(name, vocabulary, description, categories, languages, sensitivity, TrackerConditions.NONE);
    }

    /** Back to request form, the starting point of a JSON-Patch. */
    TrackerRequest toRequest() {
        return new TrackerRequest(name, vocabulary, description, categories, languages, sensitivity,
                conditions.speaker(), window(conditions.window()), conditions.exclude());
    }

    static WindowRequest window(TrackerConditions.Window window) {
        return window == null ? null : new WindowRequest(window.anchor(),
                window.seconds() == null ? null : window.seconds().doubleValue(),
                window.messages() == null ? null : window.messages().doubleValue());
    }
}
