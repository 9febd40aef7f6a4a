package io.opentrackers.tracker;

import java.util.List;

/**
 * A tracker as clients send it to create (POST) or replace (PUT) one. Everything is optional here so that the
 * rules in {@link TrackerRules} can name each missing or bad field; server-owned fields (id, dates, version)
 * that clients echo back from a GET are ignored.
 */
record TrackerRequest(String name, List<String> vocabulary, String description, List<String> categories,
        List<String> languages, Double sensitivity) {
}
