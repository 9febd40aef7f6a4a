package io.opentrackers.modulefixtures.internals.owner.internal;

/** Fixture of ModuleStructureTest: public for Java, internal to its feature for Spring Modulith. */
public class Hidden {
}
