package dev.surge.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Architecture rules every service runs against its production classes (import them with
 * {@code ImportOption.DoNotIncludeTests}).
 */
public final class ReactiveArchitectureRules {

    private ReactiveArchitectureRules() {
    }

    /** No production code waits: no {@code block*()}, no {@code Thread.sleep}, no future {@code get()/join()}. */
    public static final ArchRule NO_BLOCKING_CALLS = noClasses()
            .should().callMethodWhere(blockingCall())
            .because("event-loop threads must never wait; blocking libraries are wrapped once on boundedElastic")
            .allowEmptyShould(true);

    /**
     * No production code subscribes by hand: a service returns its publishers to WebFlux, or hands a
     * long-running stream to messaging-support's {@code StreamLifecycle}, the one place that owns
     * background subscriptions and their restarts.
     */
    public static final ArchRule NO_MANUAL_SUBSCRIBE = noClasses()
            .that().doNotHaveFullyQualifiedName("dev.surge.messaging.StreamLifecycle")
            .should().callMethodWhere(subscribeCall())
            .because("a subscription started by hand is never cancelled, never retried and hides its errors")
            .allowEmptyShould(true);

    /** Web classes talk to use cases, never to a repository or a database client. */
    public static final ArchRule WEB_DOES_NOT_REACH_REPOSITORIES = noClasses()
            .that(areWebClasses())
            .should().dependOnClassesThat(arePersistence())
            .because("a controller that reaches storage skips the rules the feature enforces")
            .allowEmptyShould(true);

    private static DescribedPredicate<JavaMethodCall> blockingCall() {
        return new DescribedPredicate<>("a blocking call") {
            @Override
            public boolean test(JavaMethodCall call) {
                String owner = call.getTargetOwner().getFullName();
                String name = call.getName();
                boolean reactorBlock = (owner.equals("reactor.core.publisher.Mono") || owner.equals("reactor.core.publisher.Flux"))
                        && (name.startsWith("block") || name.equals("toIterable") || name.equals("toStream"));
                boolean sleep = owner.equals("java.lang.Thread") && name.equals("sleep");
                boolean futureWait = (owner.equals("java.util.concurrent.CompletableFuture") || owner.equals("java.util.concurrent.Future"))
                        && (name.equals("get") || name.equals("join"));
                return reactorBlock || sleep || futureWait;
            }
        };
    }

    private static DescribedPredicate<JavaMethodCall> subscribeCall() {
        return new DescribedPredicate<>("a call to subscribe()") {
            @Override
            public boolean test(JavaMethodCall call) {
                return call.getName().equals("subscribe")
                        && call.getTargetOwner().isAssignableTo("org.reactivestreams.Publisher");
            }
        };
    }

    private static DescribedPredicate<JavaClass> areWebClasses() {
        return new DescribedPredicate<>("web classes") {
            @Override
            public boolean test(JavaClass type) {
                return type.isAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                        || type.isAnnotatedWith("org.springframework.stereotype.Controller")
                        || type.getPackageName().endsWith(".web")
                        || type.getSimpleName().endsWith("Controller")
                        || type.getSimpleName().endsWith("Handler") && type.getPackageName().contains(".web");
            }
        };
    }

    private static DescribedPredicate<JavaClass> arePersistence() {
        return new DescribedPredicate<>("repositories or database clients") {
            @Override
            public boolean test(JavaClass type) {
                return type.isAssignableTo("org.springframework.data.repository.Repository")
                        // our own adapters by name; a framework's "...Repository" (a security context
                        // store, say) is not storage
                        || type.getSimpleName().endsWith("Repository") && type.getPackageName().startsWith("dev.surge.")
                        || type.isAssignableTo("org.springframework.r2dbc.core.DatabaseClient")
                        || type.isAssignableTo("org.springframework.data.r2dbc.core.R2dbcEntityOperations")
                        || type.isAssignableTo("org.springframework.data.redis.core.ReactiveRedisOperations")
                        || type.isAssignableTo("io.r2dbc.spi.ConnectionFactory");
            }
        };
    }
}
