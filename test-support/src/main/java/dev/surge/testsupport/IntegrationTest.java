package dev.surge.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A Spring Boot test of a whole service on a random port over real PostgreSQL, Redis and Kafka.
 *
 * <p>The class gets its own database (with the service's Flyway migrations applied), Redis key
 * prefix and topic namespace; all are removed when the class's context closes, which
 * {@link DirtiesContext} makes happen right after the class, so open contexts never pile up.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public @interface IntegrationTest {

    /** Whether the service needs a database; the gateway does not. */
    boolean database() default true;

    /** Whether the service talks to Kafka; without it no broker is started for the class. */
    boolean kafka() default true;

    /**
     * Whether the service reaches Redis through a {@link TcpProxy} the test can cut and restore,
     * to show what happens when Redis goes away; the proxy is a bean of the test's context.
     */
    boolean redisThroughProxy() default false;

    /** Whether the service validates tokens of the test {@link IdentityProvider}. */
    boolean identityProvider() default true;
}
