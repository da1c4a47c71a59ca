package dev.ticketing.reservation;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Features stay apart: holds and the schedule catalogue are building blocks that know no other
 * feature; expiry and confirmation drive the reservation aggregate, never each other; only the
 * confirmation feature consumes events.
 */
@AnalyzeClasses(packages = "dev.ticketing.reservation", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String BASE = "dev.ticketing.reservation.";

    @ArchTest
    static final ArchRule featuresHaveNoCycles = slices().matching("dev.ticketing.reservation.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule holdsAndCatalogueKnowNoOtherFeature = noClasses()
            .that().resideInAnyPackage(BASE + "hold..", BASE + "schedule..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    BASE + "reservation..", BASE + "expiry..", BASE + "confirmation..");

    @ArchTest
    static final ArchRule expiryAndConfirmationAreIndependent = noClasses()
            .that().resideInAPackage(BASE + "expiry..")
            .should().dependOnClassesThat().resideInAPackage(BASE + "confirmation..");

    @ArchTest
    static final ArchRule onlyConfirmationConsumesEvents = noClasses()
            .that().resideOutsideOfPackage(BASE + "confirmation..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.kafka..", "dev.ticketing.messaging.consumer..");
}
