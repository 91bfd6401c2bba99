package dev.surge.fulfilment.ops;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.surge.fulfilment.payment.PaymentHistory;
import dev.surge.fulfilment.payment.PaymentKind;
import dev.surge.fulfilment.payment.PaymentRecord;
import dev.surge.fulfilment.payment.PaymentStatus;
import dev.surge.fulfilment.shipment.ShipmentRecord;
import dev.surge.fulfilment.shipment.ShipmentStatus;
import dev.surge.fulfilment.shipment.Shipments;
import dev.surge.service.web.InvalidParameter;
import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

/**
 * What ops read of fulfilment (the ops role, required by the security chain): recent charges and
 * refunds, and shipments with the returns to collect. Every filter is checked by its name; a bad one is
 * a {@code 400} problem naming it.
 */
@RestController
class OpsController {

    private final PaymentHistory payments;
    private final Shipments shipments;

    OpsController(PaymentHistory payments, Shipments shipments) {
        this.payments = payments;
        this.shipments = shipments;
    }

    @GetMapping("/api/ops/payments")
    Mono<Page<PaymentRecord>> payments(@RequestParam(required = false) String status,
            @RequestParam(required = false) String kind, @RequestParam(required = false) String page,
            @RequestParam(required = false) String size) {
        return Mono.fromCallable(() -> new PaymentQuery(option("status", status, PaymentStatus.class),
                        option("kind", kind, PaymentKind.class), PageRequest.parse(page, size)))
                .flatMap(query -> payments.recent(query.status(), query.kind(), query.page()));
    }

    @GetMapping("/api/ops/shipments")
    Mono<Page<ShipmentRecord>> shipments(@RequestParam(required = false) String status,
            @RequestParam(required = false) String returnRequested, @RequestParam(required = false) String page,
            @RequestParam(required = false) String size) {
        return Mono.fromCallable(() -> new ShipmentQuery(option("status", status, ShipmentStatus.class),
                        flag("returnRequested", returnRequested), PageRequest.parse(page, size)))
                .flatMap(query -> shipments.recent(query.status(), query.returnRequested(), query.page()));
    }

    private static <E extends Enum<E>> E option(String name, String raw, Class<E> type) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException unknown) {
            throw new InvalidParameter(name, "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name)
                    .collect(Collectors.joining(", ")));
        }
    }

    private static Boolean flag(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameter(name, "must be true or false");
        };
    }

    private record PaymentQuery(PaymentStatus status, PaymentKind kind, PageRequest page) {
    }

    private record ShipmentQuery(ShipmentStatus status, Boolean returnRequested, PageRequest page) {
    }
}
