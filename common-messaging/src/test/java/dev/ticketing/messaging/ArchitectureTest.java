package dev.ticketing.messaging;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The kit's parts depend downwards only: the auto-configuration wires them and nothing depends on it; the outbox and
 * the consumers know nothing of the web side (problem documents, OpenAPI, REST clients).
 */
@AnalyzeClasses(packages = "dev.ticketing.messaging", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String BASE = "dev.ticketing.messaging.";

    @ArchTest
    static final ArchRule partsHaveNoCycles = slices().matching("dev.ticketing.messaging.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule nothingDependsOnTheWiring = noClasses()
            .that().resideOutsideOfPackage(BASE + "autoconfigure..")
            .should().dependOnClassesThat().resideInAPackage(BASE + "autoconfigure..");

    @ArchTest
    static final ArchRule messagingKnowsNoWeb = noClasses()
            .that().resideInAnyPackage(BASE + "outbox..", BASE + "consumer..")
            .should().dependOnClassesThat().resideInAPackage(BASE + "web..");
}
