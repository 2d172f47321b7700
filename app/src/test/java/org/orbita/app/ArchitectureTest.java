package org.orbita.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked: capabilities without cycles between them or between their
 * packages; each capability's store used by that capability alone (the application's wiring
 * builds them); no Spring below the application and the UI; no engine client in the UI; and no
 * platform work on the JDK's common pool.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    /** Every class of the platform (every module on the application's class path), tests and test jars left out; read once. */
    private static synchronized JavaClasses classes() {
        if (classes == null) {
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(location -> !location.contains("-tests.jar")).importPackages("org.orbita");
        }
        return classes;
    }

    private static final ArchRule capabilitiesHaveNoCycles = slices().matching("org.orbita.(*)..").namingSlices("$1")
            .should().beFreeOfCycles();

    private static final ArchRule packagesHaveNoCycles = slices().matching("org.orbita.(**)").namingSlices("$1")
            .should().beFreeOfCycles();

    private static final Pattern STORE = Pattern.compile("org\\.orbita\\.(\\w+)\\.store(\\..*)?");

    private static final ArchRule aCapabilitysStoreIsUsedByThatCapabilityAlone = noClasses()
            .that().resideOutsideOfPackages("org.orbita.app..")
            .should(new ArchCondition<JavaClass>("use another capability's store") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    String own = item.getPackageName();
                    item.getDirectDependenciesFromSelf().forEach(d -> {
                        Matcher m = STORE.matcher(d.getTargetClass().getPackageName());
                        if (m.matches() && !own.equals("org.orbita." + m.group(1)) && !own.startsWith("org.orbita." + m.group(1) + ".")) {
                            events.add(SimpleConditionEvent.satisfied(item, d.getDescription()));
                        }
                    });
                }
            });

    private static final ArchRule noSpringBelowTheApplication = noClasses()
            .that().resideOutsideOfPackages("org.orbita.app..", "org.orbita.ui..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework..");

    private static final ArchRule theUiUsesNoEngineClient = noClasses()
            .that().resideInAPackage("org.orbita.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("io.camunda..", "org.operaton..", "org.h2..", "com.mongodb..", "org.bson..", "com.clickhouse..", "org.duckdb..",
                    "com.rabbitmq..", "org.sqlite..", "org.kie..", "org.drools..", "org.apache.qpid..")
            .orShould().dependOnClassesThat().resideInAnyPackage("org.orbita..store..", "org.orbita.storage..", "org.orbita.journeys.zeebe..",
                    "org.orbita.journeys.operaton..");

    private static final Set<String> COMMON_POOL = Set.of("java.util.Collection.parallelStream", "java.util.stream.BaseStream.parallel",
            "java.util.concurrent.ForkJoinPool.commonPool");

    private static final ArchRule nothingRunsOnTheCommonPool = noClasses()
            .should(new ArchCondition<JavaClass>("run work on ForkJoinPool.commonPool (its threads cannot see the packaged application's classes)") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    for (JavaMethodCall call : item.getMethodCallsFromSelf()) {
                        String target = call.getTarget().getOwner().getName() + "." + call.getTarget().getName();
                        boolean commonPool = COMMON_POOL.stream().anyMatch(target::equals)
                                || call.getTarget().getName().equals("parallel") && call.getTarget().getOwner().isAssignableTo("java.util.stream.BaseStream")
                                || call.getTarget().getName().equals("parallelStream")
                                || call.getTarget().getOwner().getName().equals("java.util.concurrent.CompletableFuture")
                                        && (call.getTarget().getName().equals("supplyAsync") || call.getTarget().getName().equals("runAsync"))
                                        && call.getTarget().getRawParameterTypes().size() == 1;
                        if (commonPool) {
                            events.add(SimpleConditionEvent.satisfied(item, call.getDescription()));
                        }
                    }
                }
            });

    @Test
    void capabilitiesHaveNoCycles() {
        capabilitiesHaveNoCycles.check(classes());
    }

    @Test
    void packagesHaveNoCycles() {
        packagesHaveNoCycles.check(classes());
    }

    @Test
    void aCapabilitysStoreIsUsedByThatCapabilityAlone() {
        aCapabilitysStoreIsUsedByThatCapabilityAlone.check(classes());
    }

    @Test
    void noSpringBelowTheApplication() {
        noSpringBelowTheApplication.check(classes());
    }

    @Test
    void theUiUsesNoEngineClient() {
        theUiUsesNoEngineClient.check(classes());
    }

    @Test
    void nothingRunsOnTheCommonPool() {
        nothingRunsOnTheCommonPool.check(classes());
    }
}
