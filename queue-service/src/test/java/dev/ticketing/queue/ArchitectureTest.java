package dev.ticketing.queue;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The queue's parts stay apart: tokens (the aggregate, its signing and its statuses) know no feature; waiting (the
 * API of joins and polls), admission and expiry never reach into each other's schedule, which only the jobs drive;
 * only expiry consumes events (PaymentCompleted ends a token).
 */
@AnalyzeClasses(packages = "dev.ticketing.queue", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String BASE = "dev.ticketing.queue.";

    @ArchTest
    static final ArchRule featuresHaveNoCycles = slices().matching("dev.ticketing.queue.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule tokensKnowNoFeature = noClasses()
            .that().resideInAPackage(BASE + "token..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    BASE + "waiting..", BASE + "admission..", BASE + "expiry..", BASE + "jobs..");

    @ArchTest
    static final ArchRule onlyTheJobsDriveTheSchedule = noClasses()
            .that().resideInAnyPackage(BASE + "waiting..", BASE + "admission..", BASE + "expiry..")
            .should().dependOnClassesThat().resideInAPackage(BASE + "jobs..");

    @ArchTest
    static final ArchRule admissionKnowsNothingOfExpiry = noClasses()
            .that().resideInAnyPackage(BASE + "admission..", BASE + "waiting..")
            .should().dependOnClassesThat().resideInAPackage(BASE + "expiry..");

    @ArchTest
    static final ArchRule onlyExpiryConsumesEvents = noClasses()
            .that().resideOutsideOfPackage(BASE + "expiry..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.kafka..", "dev.ticketing.messaging.consumer..");
}
