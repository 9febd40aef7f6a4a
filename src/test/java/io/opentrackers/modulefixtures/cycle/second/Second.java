package io.opentrackers.modulefixtures.cycle.second;

import io.opentrackers.modulefixtures.cycle.first.First;

/** Fixture of ModuleStructureTest: closes the cycle with {@link First}. */
public class Second {
    public First previous() {
        return new First();
    }
}
