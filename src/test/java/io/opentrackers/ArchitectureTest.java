package io.opentrackers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the feature boundaries of the house style honest. */
@AnalyzeClasses(packages = "io.opentrackers", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The model runtime and tokenizer are an implementation detail of one package. */
    @ArchTest
    static final ArchRule onlyEmbeddingTouchesTheModelRuntime = noClasses()
            .that().resideOutsideOfPackage("io.opentrackers.embedding..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..");

    /** Matching is pure logic: fast to unit-test, no framework or database. */
    @ArchTest
    static final ArchRule matchingHasNoSpringOrDatabase = noClasses()
            .that().resideInAPackage("io.opentrackers.matching..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..");

    /** Features meet through the HTTP-agnostic exceptions of common/, never through web/. */
    @ArchTest
    static final ArchRule domainDoesNotDependOnWeb = noClasses()
            .that().resideInAnyPackage("io.opentrackers.matching..", "io.opentrackers.embedding..",
                    "io.opentrackers.common..")
            .should().dependOnClassesThat().resideInAPackage("io.opentrackers.web..");
}
