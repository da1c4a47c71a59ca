package dev.ticketing.payment;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Features stay apart: the wallet and the reservation-service client are building blocks that know
 * no other feature; payments use them; only the saga feature consumes events.
 */
@AnalyzeClasses(packages = "dev.ticketing.payment", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String BASE = "dev.ticketing.payment.";

    @ArchTest
    static final ArchRule featuresHaveNoCycles = slices().matching("dev.ticketing.payment.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule walletAndClientKnowNoOtherFeature = noClasses()
            .that().resideInAnyPackage(BASE + "wallet..", BASE + "reservation..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + "payment..", BASE + "saga..");

    @ArchTest
    static final ArchRule onlyTheSagaConsumesEvents = noClasses()
            .that().resideOutsideOfPackage(BASE + "saga..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.kafka..", "dev.ticketing.messaging.consumer..");
}
