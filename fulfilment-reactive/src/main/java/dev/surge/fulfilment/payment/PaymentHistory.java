package dev.surge.fulfilment.payment;

import org.springframework.stereotype.Component;

import dev.surge.service.web.Page;
import dev.surge.service.web.PageRequest;
import reactor.core.publisher.Mono;

/** What ops read: recent charges and refunds, newest first. */
@Component
public class PaymentHistory {

    private final R2dbcPaymentRepository payments;

    PaymentHistory(R2dbcPaymentRepository payments) {
        this.payments = payments;
    }

    /** One page, optionally only of one status and of one kind ({@code null} for any). */
    public Mono<Page<PaymentRecord>> recent(PaymentStatus status, PaymentKind kind, PageRequest page) {
        return payments.recent(status, kind, page);
    }
}
