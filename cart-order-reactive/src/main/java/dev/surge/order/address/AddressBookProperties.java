package dev.surge.order.address;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Address book settings ({@code surge.addresses.*}).
 *
 * @param maxPerUser how many addresses one shopper may save; one more is refused with a 409. The
 *        whole book is listed in one page, so this is also the list's size.
 */
@Validated
@ConfigurationProperties("surge.addresses")
record AddressBookProperties(@DefaultValue("20") @Min(1) @Max(100) int maxPerUser) {
}
