package io.opentrackers.tracker;

import io.opentrackers.matching.LabelledExample;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where the labelled examples of managed trackers come from (the teaching feature implements it; the tracker
 * feature only reads through it, so that it does not depend on teaching). The catalog puts them into every
 * {@code TrackerDefinition} it hands out, and the tracker list can include them.
 */
public interface TrackerExampleSource {

    /** The examples of each of these trackers that has any, in insertion order. */
    Map<String, List<LabelledExample>> examplesOf(Collection<String> trackerIds);
}
