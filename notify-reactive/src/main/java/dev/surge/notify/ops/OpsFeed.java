package dev.surge.notify.ops;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.surge.events.EventEnvelope;
import dev.surge.events.EventTypes;
import dev.surge.events.order.OrderPlaced;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Announces every order, payment and fulfilment event notify handles on the PostgreSQL channel
 * {@value #CHANNEL}, in the consumer's transaction (so each event once, when it commits), with the
 * order's status, total and placing time as the read model holds them after the event, and
 * {@code announcedAt} (epoch milliseconds on PostgreSQL's clock, just before the commit that delivers it): the firehose
 * of {@code /api/ops/events} and what {@code /api/ops/metrics} counts, on every instance. The shopper's
 * address and the order's lines are left out: ops dashboards need neither.
 */
@Component
public class OpsFeed {

    static final String CHANNEL = "surge_ops";

    /** PostgreSQL refuses a notification payload of 8,000 bytes or more; past this the details are left out. */
    private static final int MAX_PAYLOAD = 7_000;

    private final DatabaseClient database;
    private final JsonMapper json;

    OpsFeed(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /** Announces the event; call inside its consumer's transaction, after its effect. */
    public Mono<Void> announce(EventEnvelope<?> event) {
        return Mono.fromCallable(() -> describe(event))
                .flatMap(description -> orderId(database.sql("""
                                SELECT pg_notify(:channel, (CAST(:event AS jsonb) || jsonb_build_object('order',
                                    (SELECT jsonb_build_object('status', status, 'placedAt', placed_at,
                                            'total', CASE WHEN total_amount IS NULL THEN NULL
                                                ELSE jsonb_build_object('amount', total_amount, 'currency', currency) END)
                                     FROM order_status WHERE order_id = :orderId),
                                    'announcedAt', floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint))::text)""")
                        .bind("channel", CHANNEL)
                        .bind("event", description.json()), description.orderId())
                        .fetch()
                        .rowsUpdated())
                .then();
    }

    private static DatabaseClient.GenericExecuteSpec orderId(DatabaseClient.GenericExecuteSpec spec, UUID orderId) {
        return orderId == null ? spec.bindNull("orderId", UUID.class) : spec.bind("orderId", orderId);
    }

    private Described describe(EventEnvelope<?> event) {
        ObjectNode described = json.createObjectNode();
        described.put("type", event.type());
        described.put("topic", EventTypes.of(event.payload().getClass()).topic());
        described.put("eventId", event.eventId().toString());
        described.put("aggregateId", event.aggregateId());
        described.put("aggregateVersion", event.aggregateVersion());
        described.put("occurredAt", event.occurredAt().toString());
        ObjectNode details = json.valueToTree(event.payload());
        if (event.payload() instanceof OrderPlaced placed) {
            details.remove("email");
            details.remove("lines");
            details.put("lineCount", placed.lines().size());
        }
        described.set("details", details);
        String text = json.writeValueAsString(described);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD) {
            described.remove("details");
            described.put("detailsOmitted", true);
            text = json.writeValueAsString(described);
        }
        JsonNode orderId = details.get("orderId");
        return new Described(text, orderId == null ? null : UUID.fromString(orderId.asString()));
    }

    private record Described(String json, UUID orderId) {
    }
}
