package io.opentrackers.modulefixtures.internals.owner;

/** Fixture of ModuleStructureTest: the feature's API. */
public class Owner {
}
