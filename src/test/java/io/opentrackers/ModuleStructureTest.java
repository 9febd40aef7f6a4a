package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;

/**
 * Each top-level package is a feature (Spring Modulith's default: its public types in the package itself are its
 * API, sub-packages are internal). {@link ApplicationModules#verify()} fails on a cycle between features and on a
 * feature that uses another's internals, so the arrows drawn in docs/architecture.md stay true.
 */
class ModuleStructureTest {

    /** The fixtures are test classes, which the application's own check leaves out. */
    private static final ImportOption WITH_TESTS = location -> true;

    @Test
    void featuresFormNoCyclesAndUseOnlyEachOthersApi() {
        ApplicationModules.of(OpenTrackersApplication.class).verify();
    }

    /** The check above can fail: two fixture features that import each other are reported. */
    @Test
    void aCycleBetweenFeaturesIsReported() {
        assertThatThrownBy(() -> ApplicationModules.of("io.opentrackers.modulefixtures.cycle", WITH_TESTS).verify())
                .isInstanceOf(Violations.class)
                .hasMessageContaining("Cycle detected");
    }

    /** ... and so can a feature reaching into another's internal sub-package. */
    @Test
    void aFeatureUsingAnotherFeaturesInternalsIsReported() {
        assertThatThrownBy(() -> ApplicationModules.of("io.opentrackers.modulefixtures.internals", WITH_TESTS).verify())
                .isInstanceOf(Violations.class)
                .hasMessageContaining("non-exposed type");
    }
}
