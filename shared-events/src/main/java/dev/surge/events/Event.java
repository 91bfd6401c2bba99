package dev.surge.events;

/**
 * An event payload. Each topic has a sealed interface extending this one, so a consumer's
 * {@code switch} over one topic's events is exhaustive.
 *
 * <p>This top-level interface stays open on purpose: a sealed interface whose permitted
 * subtypes live in other packages only works inside a named module, and the services run
 * on the class path.
 */
public interface Event {
}
