package dev.surge.fulfilment.payment;

/**
 * The provider refused a call before acting on it (down, overloaded): it may be sent again with the
 * same idempotency key. A timeout is handled like it.
 */
public class ProviderUnavailable extends RuntimeException {

    public ProviderUnavailable(String message) {
        super(message);
    }
}
