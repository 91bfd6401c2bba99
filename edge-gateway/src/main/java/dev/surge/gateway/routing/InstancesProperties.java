package dev.surge.gateway.routing;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Services that run as more than one instance, and where each answers. A route whose {@code service}
 * metadata names one of them is spread over its instances (see {@link ServiceInstancesFilter}); a
 * service not listed, or listed with one instance, is reached at its route's own {@code uri}.
 *
 * @param instances per service name (the routes' {@code service} metadata), the base URI of each
 *        instance, e.g. {@code surge.gateway.instances.cart-order=http://127.0.0.1:8082,http://127.0.0.1:8092}
 */
@ConfigurationProperties("surge.gateway")
record InstancesProperties(Map<String, List<URI>> instances) {

    InstancesProperties {
        instances = instances == null ? Map.of() : Map.copyOf(instances);
        instances.forEach((service, uris) -> uris.forEach(uri -> {
            if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("surge.gateway.instances." + service
                        + ": every instance needs a scheme, host and port, not " + uri);
            }
        }));
    }
}
