package dev.surge.order.user;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Profile settings ({@code surge.users.*}).
 *
 * @param keyPrefix put before every Redis key of profiles (tests give each class its own)
 */
@Validated
@ConfigurationProperties("surge.users")
record UserProfileProperties(@DefaultValue("orders:") @NotNull String keyPrefix) {
}
