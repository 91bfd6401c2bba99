package dev.surge.gateway.client;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the shop's browser client is ({@code surge.gateway.client.*}).
 *
 * @param directory the Angular production build ({@code angular-client/dist/angular-client/browser}); empty:
 *                  the gateway serves no client (API only), which is how its tests and API-only setups run
 */
@ConfigurationProperties("surge.gateway.client")
public record ClientProperties(@DefaultValue("") String directory) {
}
