package dev.surge.messaging;

import java.util.List;

import dev.surge.events.EventEnvelope;
import reactor.core.publisher.Mono;

/** A publisher that hands everything to another; tests override the call they want to change. */
class ForwardingPublisher implements EventPublisher {

    private final EventPublisher delegate;

    ForwardingPublisher(EventPublisher delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<Void> publish(EventEnvelope<?> envelope) {
        return delegate.publish(envelope);
    }

    @Override
    public Mono<Void> send(List<OutgoingMessage> messages) {
        return delegate.send(messages);
    }
}
