package io.opentrackers.tracker;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A tracker as clients send it to create (POST) or replace (PUT) one. Everything is optional here so that the
 * rules in {@link TrackerRules} can name each missing or bad field; server-owned fields (id, dates, version)
 * that clients echo back from a GET are ignored.
 *
 * @param speaker {@code any} (default), {@code agent} or {@code customer}
 * @param exclude phrases whose sentences are not hits of this tracker
 */
record TrackerRequest(
        // required in the document, as TrackerRules holds: a generated client then asks for them, and tells one
        // tracker from an array of them (OneOrMoreTrackers) by them
        @Schema(requiredMode = REQUIRED) String name, @Schema(requiredMode = REQUIRED) List<String> vocabulary,
        String description, List<String> categories, List<String> languages, Double sensitivity,
        @Schema(allowableValues = {"any", "agent", "customer"}) String speaker, WindowRequest window,
        List<String> exclude) {

    /** A tracker without conditions. */
    TrackerRequest(String name, List<String> vocabulary, String description, List<String> categories,
            List<String> languages, Double sensitivity) {
        this(name, vocabulary, description, categories, languages, sensitivity, null, null, null);
    }
}
