package dev.surge.fulfilment.payment;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.surge.events.Money;
import dev.surge.fulfilment.Sql;
import reactor.core.publisher.Mono;

/**
 * A payment provider for dev and tests with Stripe-style test tokens (see the README's table). It
 * behaves as a real provider does on its side of the wire: it keeps every operation it made by
 * idempotency key (table {@code simulated_provider_operation}, inserted under the key's primary key,
 * so two calls racing with one key make one charge), answers the same key with the first result,
 * and a refund pays back only a charge it made.
 */
@Component
@ConditionalOnProperty(name = "surge.payments.simulated.enabled", matchIfMissing = true)
class SimulatedPaymentProvider implements PaymentProvider {

    /** Succeeds after {@code slow-latency}. */
    static final String SLOW = "tok_slow";
    /** Never answers: every call runs into the caller's timeout, and nothing is charged. */
    static final String TIMEOUT = "tok_timeout";

    private static final Map<String, ChargeOutcome.Declined> DECLINES = Map.of(
            "tok_chargeDeclined", new ChargeOutcome.Declined("CARD_DECLINED", "Your card was declined."),
            "tok_chargeDeclinedInsufficientFunds", new ChargeOutcome.Declined("INSUFFICIENT_FUNDS",
                    "Your card has insufficient funds."),
            "tok_chargeDeclinedExpiredCard", new ChargeOutcome.Declined("EXPIRED_CARD", "Your card has expired."),
            "tok_chargeDeclinedIncorrectCvc", new ChargeOutcome.Declined("INCORRECT_CVC",
                    "Your card's security code is incorrect."));

    private static final Set<String> CHARGEABLE = java.util.Set.of("tok_visa", "tok_mastercard", "tok_amex", SLOW);

    private final DatabaseClient database;
    private final SimulatedProviderProperties settings;

    SimulatedPaymentProvider(DatabaseClient database, SimulatedProviderProperties settings) {
        this.database = database;
        this.settings = settings;
    }

    @Override
    public Mono<ChargeOutcome> charge(ChargeCommand command) {
        // a key seen before answers what it answered then, whatever the token does now
        return arrive()
                .then(chargeOf(command.idempotencyKey()))
                .switchIfEmpty(Mono.defer(() -> decide(command))
                        .flatMap(outcome -> remember(command.idempotencyKey(), "CHARGE", command.amount(), outcome))
                        .flatMap(this::chargeOf));
    }

    @Override
    public Mono<RefundOutcome> refund(RefundCommand command) {
        return arrive()
                .then(refundOf(command.idempotencyKey()))
                .switchIfEmpty(Mono.defer(() -> refundable(command))
                        .flatMap(outcome -> remember(command.idempotencyKey(), "REFUND", command.amount(), outcome))
                        .flatMap(this::refundOf));
    }

    /** The network: latency, and now and then a refusal before the provider acts (nothing recorded). */
    private Mono<Void> arrive() {
        Mono<Void> delay = settings.latency().isZero() ? Mono.empty() : Mono.delay(settings.latency()).then();
        return delay.then(Mono.defer(() -> ThreadLocalRandom.current().nextDouble() < settings.failureRate()
                ? Mono.error(new ProviderUnavailable("simulated provider: 503 Service Unavailable"))
                : Mono.empty()));
    }

    /** What the token makes of a charge the provider has not seen under this key. */
    private Mono<Outcome> decide(ChargeCommand command) {
        String token = command.paymentToken();
        if (TIMEOUT.equals(token)) {
            return Mono.never();
        }
        ChargeOutcome.Declined declined = DECLINES.get(token);
        if (declined != null) {
            return Mono.just(new Outcome("DECLINED", "ch_" + id(), declined.code()));
        }
        if (!CHARGEABLE.contains(token)) {
            return Mono.just(new Outcome("DECLINED", "ch_" + id(), "INVALID_PAYMENT_METHOD"));
        }
        Mono<Outcome> charged = Mono.just(new Outcome("CHARGED", "ch_" + id(), null));
        return SLOW.equals(token) ? charged.delayElement(settings.slowLatency()) : charged;
    }

    private Mono<Outcome> refundable(RefundCommand command) {
        return database.sql("""
                        SELECT amount FROM simulated_provider_operation
                        WHERE provider_ref = :charge AND kind = 'CHARGE' AND outcome = 'CHARGED'""")
                .bind("charge", command.paymentId())
                .map(row -> row.get("amount", Long.class))
                .one()
                .map(charged -> charged >= command.amount().amount()
                        ? new Outcome("REFUNDED", "re_" + id(), null)
                        : new Outcome("REFUSED", "re_" + id(), "AMOUNT_TOO_LARGE"))
                .defaultIfEmpty(new Outcome("REFUSED", "re_" + id(), "NO_SUCH_CHARGE"));
    }

    /** Keeps the first outcome under its key; a later call with the key keeps nothing and reads the first. */
    private Mono<String> remember(String key, String kind, Money amount, Outcome outcome) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                        INSERT INTO simulated_provider_operation
                            (idempotency_key, kind, amount, currency, outcome, provider_ref, decline_code)
                        VALUES (:key, :kind, :amount, :currency, :outcome, :ref, :code)
                        ON CONFLICT (idempotency_key) DO NOTHING""")
                .bind("key", key)
                .bind("kind", kind)
                .bind("amount", amount.amount())
                .bind("currency", amount.currency())
                .bind("outcome", outcome.outcome())
                .bind("ref", outcome.ref());
        return Sql.bindNullable(insert, "code", outcome.code(), String.class)
                .fetch()
                .rowsUpdated()
                .thenReturn(key);
    }

    private Mono<ChargeOutcome> chargeOf(String key) {
        return stored(key).map(stored -> "CHARGED".equals(stored.outcome())
                ? new ChargeOutcome.Charged(stored.ref())
                : declined(stored.code()));
    }

    private Mono<RefundOutcome> refundOf(String key) {
        return stored(key).map(stored -> "REFUNDED".equals(stored.outcome())
                ? new RefundOutcome.Refunded(stored.ref())
                : new RefundOutcome.Refused(stored.code(), "simulated provider refused the refund: " + stored.code()));
    }

    private Mono<Outcome> stored(String key) {
        return database.sql("SELECT outcome, provider_ref, decline_code FROM simulated_provider_operation WHERE idempotency_key = :key")
                .bind("key", key)
                .map(row -> new Outcome(row.get("outcome", String.class), row.get("provider_ref", String.class),
                        row.get("decline_code", String.class)))
                .one();
    }

    private static ChargeOutcome.Declined declined(String code) {
        return DECLINES.values().stream()
                .filter(declined -> declined.code().equals(code))
                .findFirst()
                .orElse(new ChargeOutcome.Declined(code, "The payment method is not accepted."));
    }

    private static String id() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** What the provider keeps for a key: {@code outcome} CHARGED, DECLINED, REFUNDED or REFUSED. */
    private record Outcome(String outcome, String ref, String code) {
    }
}
