package dev.surge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import dev.surge.testsupport.BlockHoundProbe;
import dev.surge.testsupport.ReactiveArchitectureRules;

class ArchitectureTests {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.surge.catalog");

    @Test
    void productionCodeNeverBlocks() {
        ReactiveArchitectureRules.NO_BLOCKING_CALLS.check(PRODUCTION);
    }

    @Test
    void productionCodeNeverSubscribesByHand() {
        ReactiveArchitectureRules.NO_MANUAL_SUBSCRIBE.check(PRODUCTION);
    }

    @Test
    void webClassesNeverReachRepositories() {
        ReactiveArchitectureRules.WEB_DOES_NOT_REACH_REPOSITORIES.check(PRODUCTION);
    }

    @Test
    void blockHoundGuardsThisTestJvm() {
        assertThat(BlockHoundProbe.sleepOnParallelThread()).isInstanceOf(BlockHoundProbe.errorType());
    }
}
