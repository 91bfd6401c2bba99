package dev.surge.notify.ops;

import java.util.Set;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.surge.events.EventEnvelope;
import dev.surge.events.Topics;
import dev.surge.events.ops.VitalSigns;
import dev.surge.messaging.EventConsumer;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hands every service instance's vital signs ({@code shop.ops.v1}) to every notify instance: the
 * group's one consumer announces them on the PostgreSQL channel {@value #CHANNEL}, which each instance's
 * {@link OpsVitals} listens on, as the firehose does. Nothing is stored: the newest vital signs of each
 * instance live in memory, and the next second brings new ones. A redelivered or older report is dropped
 * by its version there.
 */
@Component
class VitalSignsConsumer implements EventConsumer {

    static final String CHANNEL = "surge_vitals";

    private final DatabaseClient database;
    private final JsonMapper json;

    VitalSignsConsumer(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    @Override
    public String name() {
        return "vital-signs";
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.OPS);
    }

    @Override
    public Mono<Void> handle(EventEnvelope<?> event) {
        if (!(event.payload() instanceof VitalSigns signs)) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> describe(event, signs))
                .flatMap(described -> database.sql("SELECT pg_notify(:channel, :signs)")
                        .bind("channel", CHANNEL)
                        .bind("signs", described)
                        .fetch()
                        .rowsUpdated())
                .then();
    }

    private String describe(EventEnvelope<?> event, VitalSigns signs) {
        ObjectNode described = json.valueToTree(signs);
        described.put("version", event.aggregateVersion());
        described.put("measuredAt", event.occurredAt().toString());
        return json.writeValueAsString(described);
    }
}
