package dev.ticketing.concert;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Features stay apart: the catalogue (concerts, dates, layouts) knows nothing of how availability
 * is kept, and only the seats feature consumes events.
 */
@AnalyzeClasses(packages = "dev.ticketing.concert", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String BASE = "dev.ticketing.concert.";

    @ArchTest
    static final ArchRule featuresHaveNoCycles = slices().matching("dev.ticketing.concert.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule catalogueDependsOnNoOtherFeature = noClasses()
            .that().resideInAPackage(BASE + "catalogue..")
            .should().dependOnClassesThat().resideInAPackage(BASE + "seats..");

    @ArchTest
    static final ArchRule onlySeatsConsumeEvents = noClasses()
            .that().resideOutsideOfPackage(BASE + "seats..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.kafka..", "dev.ticketing.messaging.consumer..", "dev.ticketing.events..");
}
