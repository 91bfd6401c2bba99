package dev.surge.gateway.resilience;

import java.net.URI;

/**
 * A call that failed on one instance of a service while another instance of it is healthy: the
 * failure is that instance's, counted by its own breaker ({@link InstanceBreakers}), and the
 * service's breaker does not count it, so one dead instance does not close the service to every
 * shopper. The request itself fails as its cause would have made it fail (a 503 problem, or a cut
 * stream); only the counting differs.
 */
public final class InstanceFailure extends RuntimeException {

    public InstanceFailure(URI instance, Throwable cause) {
        // no stack trace: thrown for every request in flight on an instance that died, and the cause has its own
        super(instance.getRawAuthority() + " failed: " + cause, cause, false, false);
    }
}
