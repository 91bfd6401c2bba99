package dev.surge.gateway.problem;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The largest request the gateway passes on to a service; anything larger is refused at the edge
 * with a problem document before a byte of it reaches a service.
 *
 * @param maxBodySize the largest request body, on every route: no API call needs more (a cart, an
 *        order, a product with its description are a few KB), and a service would refuse it anyway,
 *        closing the connection on a body it will not read
 * @param maxUriLength the longest request target (path and query as sent), in characters: a search
 *        query is at most 100 characters, and 4,096 is the line limit the services' own servers
 *        keep. Netty's own limit on the request line ({@code server.netty.max-initial-line-length})
 *        sits well above it, so that a long URI reaches this check and gets a problem document
 *        rather than Netty's bare 414
 */
@Validated
@ConfigurationProperties("surge.gateway.request-limits")
record RequestLimitsProperties(
        @NotNull @DefaultValue("1MB") DataSize maxBodySize,
        @Min(256) @DefaultValue("4096") int maxUriLength) {
}
