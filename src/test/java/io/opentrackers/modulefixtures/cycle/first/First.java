package io.opentrackers.modulefixtures.cycle.first;

import io.opentrackers.modulefixtures.cycle.second.Second;

/** Fixture of ModuleStructureTest: depends on {@link Second}, which depends back on this. */
public class First {
    public Second next() {
        return new Second();
    }
}
