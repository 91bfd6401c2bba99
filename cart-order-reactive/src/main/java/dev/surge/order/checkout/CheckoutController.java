package dev.surge.order.checkout;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.order.flashsale.AdmissionTokens;
import dev.surge.order.pricing.Quote;
import dev.surge.order.stock.StockRefusals;
import dev.surge.service.web.CanonicalUuid;
import dev.surge.service.web.Conflict;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/orders}: checkout, with the {@code Idempotency-Key} header required. A replay
 * answers what the first request answered, marked {@code Idempotent-Replayed: true}.
 */
@RestController
class CheckoutController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    /** Printable ASCII, as the IETF draft's examples and Stripe's keys are; UUIDs fit. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final PlaceOrder checkout;
    private final RetryPayment retries;
    private final JsonMapper json;
    private final StockRefusals refusals;

    CheckoutController(PlaceOrder checkout, RetryPayment retries, JsonMapper json, StockRefusals refusals) {
        this.checkout = checkout;
        this.retries = retries;
        this.json = json;
        this.refusals = refusals;
    }

    @PostMapping(path = "/api/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> place(@AuthenticationPrincipal Jwt token,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
            @RequestHeader(name = AdmissionTokens.HEADER, required = false) String admission, @RequestBody CheckoutRequest request) {
        return Mono.fromCallable(() -> requireKey(key))
                .flatMap(valid -> checkout.place(token.getSubject(), token.getClaimAsString("email"), valid, admission, request))
                .doOnError(refusals::count)
                .map(this::answer);
    }

    /** What {@code POST /api/orders} with this body would cost now ({@link PlaceOrder#quote}); no key needed, nothing written. */
    @PostMapping(path = "/api/orders/quote", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Quote> quote(@AuthenticationPrincipal Jwt token, @RequestBody CheckoutRequest request) {
        return checkout.quote(token.getSubject(), request);
    }

    @PostMapping(path = "/api/orders/{id}/payment", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> retryPayment(@AuthenticationPrincipal Jwt token, @PathVariable String id,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @RequestBody RetryPayment.Request request) {
        return Mono.fromCallable(() -> new Object[] { CanonicalUuid.required("id", id), requireKey(key) })
                .flatMap(checked -> retries.retry(token.getSubject(), (UUID) checked[0], (String) checked[1], request))
                .map(outcome -> switch (outcome) {
                    case PlaceOrder.Placed placed -> ResponseEntity.ok().<Object>body(placed.order());
                    case PlaceOrder.Replayed replayed -> answer(replayed);
                });
    }

    private ResponseEntity<Object> answer(PlaceOrder.Outcome outcome) {
        return switch (outcome) {
            case PlaceOrder.Placed placed -> ResponseEntity.created(URI.create("/api/orders/" + placed.order().id()))
                    .body(placed.order());
            case PlaceOrder.Replayed replayed -> ResponseEntity.status(replayed.status())
                    .location(URI.create("/api/orders/" + replayed.orderId()))
                    .header(REPLAYED, "true")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(json.readTree(replayed.body()));
        };
    }

    static String requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new Conflict("idempotency-key-required", HttpStatus.BAD_REQUEST, "Idempotency-Key required",
                    "Send an Idempotency-Key header (a new UUID per order attempt) so a retry cannot order twice",
                    Map.of());
        }
        if (!KEY.matcher(key).matches()) {
            throw new Conflict("invalid-idempotency-key", HttpStatus.BAD_REQUEST, "Invalid Idempotency-Key",
                    "An Idempotency-Key is 1 to 255 printable ASCII characters", Map.of());
        }
        return key;
    }
}
