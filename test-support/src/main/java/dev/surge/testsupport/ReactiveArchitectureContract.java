package dev.surge.testsupport;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import reactor.blockhound.BlockingOperationError;
import reactor.test.StepVerifier;

/**
 * The architecture checks every service runs against its production classes. A service's
 * {@code ArchitectureTests} extends this and names its base package.
 */
public abstract class ReactiveArchitectureContract {

    private final JavaClasses production;

    protected ReactiveArchitectureContract(String basePackage) {
        this.production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
    }

    @Test
    void productionCodeNeverBlocks() {
        ReactiveArchitectureRules.NO_BLOCKING_CALLS.check(production);
    }

    @Test
    void productionCodeNeverSubscribesByHand() {
        ReactiveArchitectureRules.NO_MANUAL_SUBSCRIBE.check(production);
    }

    @Test
    void webClassesNeverReachRepositories() {
        ReactiveArchitectureRules.WEB_DOES_NOT_REACH_REPOSITORIES.check(production);
    }

    @Test
    void blockHoundGuardsThisTestJvm() {
        StepVerifier.create(BlockHoundProbe.sleepOnParallelThread())
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(5));
    }
}
