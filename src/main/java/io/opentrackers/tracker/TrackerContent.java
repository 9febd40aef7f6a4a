package io.opentrackers.tracker;

import java.util.List;

/**
 * The user-owned part of a tracker after {@link TrackerRules} accepted it: trimmed name and phrases,
 * defaults filled in ({@code languages} = ["en-US"], empty categories).
 *
 * @param sensitivity 0.0–1.0, higher finds more hits; null means the calibrated default
 */
record TrackerContent(String name, List<String> vocabulary, String description, List<String> categories,
        List<String> languages, Double sensitivity) {

    TrackerContent {
        vocabulary = List.copyOf(vocabulary);
        categories = List.copyOf(categories);
        languages = List.copyOf(languages);
    }

    /** Back to request form, the starting point of a JSON-Patch. */
    TrackerRequest toRequest() {
        return new TrackerRequest(name, vocabulary, description, categories, languages, sensitivity);
    }
}
