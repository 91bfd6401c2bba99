package dev.surge.service.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Problem documents for every reactive service, from one {@link ProblemHandler}. Not in the
 * gateway: it answers for routes, not controllers, and writes its own problems for its own and
 * relayed errors.
 */
// before WebFlux's: Boot's own problem handler (spring.webflux.problemdetails.enabled) stands back only
// when it finds this one; registered beside it, Boot's would answer framework errors untyped
@AutoConfiguration(beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnMissingClass("org.springframework.cloud.gateway.route.RouteLocator")
public class WebProblemsAutoConfiguration {

    @Bean
    ProblemHandler problemHandler() {
        return new ProblemHandler();
    }
}
