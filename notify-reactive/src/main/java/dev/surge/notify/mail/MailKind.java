package dev.surge.notify.mail;

import java.util.Locale;

/** The mails a shopper gets about an order; each has a template pair {@code mail/<template>.txt|html}. */
public enum MailKind {
    ORDER_RECEIVED,
    PAYMENT_CONFIRMED,
    PAYMENT_FAILED,
    SHIPPED,
    DELIVERED,
    CANCELLED,
    REFUNDED;

    String template() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
