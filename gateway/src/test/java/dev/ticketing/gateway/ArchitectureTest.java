package dev.ticketing.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Features stay apart: each offers one small public type, only {@code edge} composes them in the
 * order of DESIGN section 3, and the basic ones (problem, token) depend on no other feature.
 */
@AnalyzeClasses(packages = "dev.ticketing.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String BASE = "dev.ticketing.gateway.";

    @ArchTest
    static final ArchRule featuresHaveNoCycles = slices().matching("dev.ticketing.gateway.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheEdgeComposesFeatures = noClasses()
            .that().resideOutsideOfPackage(BASE + "edge..")
            .should().dependOnClassesThat().resideInAPackage(BASE + "edge..");

    @ArchTest
    static final ArchRule problemsDependOnNoFeature = noClasses()
            .that().resideInAPackage(BASE + "problem..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    BASE + "routing..", BASE + "token..", BASE + "ratelimit..", BASE + "admission..");

    @ArchTest
    static final ArchRule tokenVerificationCallsNoService = noClasses()
            .that().resideInAPackage(BASE + "token..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    BASE + "admission..", BASE + "ratelimit..", BASE + "routing..",
                    "org.springframework.web.reactive.function.client..", "reactor.netty..");

    @ArchTest
    static final ArchRule rateLimitsKnowNoTokenOrQueue = noClasses()
            .that().resideInAPackage(BASE + "ratelimit..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + "token..", BASE + "admission..", BASE + "routing..");
}
