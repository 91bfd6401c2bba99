package dev.surge.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

class ReactiveArchitectureRulesTests {

    private static final JavaClasses VIOLATIONS = new ClassFileImporter()
            .importPackages("dev.surge.testsupport.violations");

    @Test
    void reportsBlockAndSleep() {
        assertThatThrownBy(() -> ReactiveArchitectureRules.NO_BLOCKING_CALLS.check(VIOLATIONS))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Mono.block()")
                .hasMessageContaining("Thread.sleep(long)");
    }

    @Test
    void reportsManualSubscribe() {
        assertThatThrownBy(() -> ReactiveArchitectureRules.NO_MANUAL_SUBSCRIBE.check(VIOLATIONS))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Flux.subscribe()");
    }

    @Test
    void reportsWebClassReachingRepository() {
        assertThatThrownBy(() -> ReactiveArchitectureRules.WEB_DOES_NOT_REACH_REPOSITORIES.check(VIOLATIONS))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ProductController")
                .hasMessageContaining("ProductRepository");
    }
}
