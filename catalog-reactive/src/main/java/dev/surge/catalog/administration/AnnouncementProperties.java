package dev.surge.catalog.administration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When the catalog announces products that were never announced at their current version.
 *
 * @param onStart whether each instance announces them once at start (products loaded by SQL: the dev
 *        demo, a bulk import); off in tests that count outbox rows
 */
@Validated
@ConfigurationProperties("surge.catalog.announcements")
record AnnouncementProperties(@DefaultValue("true") boolean onStart) {
}
