package io.opentrackers.modulefixtures.internals.user;

import io.opentrackers.modulefixtures.internals.owner.internal.Hidden;

/** Fixture of ModuleStructureTest: reaches into another feature's internals. */
public class User {
    public Hidden peek() {
        return new Hidden();
    }
}
