package dev.surge.notify.live;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Listens on the PostgreSQL channels of the {@link ChannelHandler}s over one connection of its own
 * (outside the pool, which it would hold forever), and hands each notification to its handler.
 * PostgreSQL delivers a notification to every listening session once its transaction commits, in
 * commit order, and never one of a transaction that rolled back; a session that is not listening at
 * that moment misses it, so after every (re)connection the handlers are told to read what they may have
 * missed. The connection is checked every {@code listener-ping}; when it fails, the stream fails and
 * {@code StreamLifecycle} opens it again with backoff.
 */
class PostgresChangeListener {

    private static final Logger log = LoggerFactory.getLogger(PostgresChangeListener.class);

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    private final ConnectionFactory connections;
    private final Map<String, ChannelHandler> handlers;
    private final Duration ping;

    PostgresChangeListener(ConnectionFactory pooled, List<ChannelHandler> handlers, Duration ping) {
        this.connections = unpooled(pooled);
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(ChannelHandler::channel, Function.identity()));
        this.ping = ping;
    }

    /** Listens until the connection fails or the stream is cancelled; emits each notification's channel. */
    Flux<String> listen() {
        return Flux.usingWhen(Mono.from(connections.create()), this::listen, connection -> Mono.from(connection.close()));
    }

    private Flux<String> listen(Connection connection) {
        if (!(connection instanceof PostgresqlConnection postgres)) {
            return Flux.error(new IllegalStateException("change notifications need PostgreSQL, got " + connection));
        }
        // subscribed to the notifications before LISTEN, so none delivered right after it is dropped
        Flux<String> delivered = postgres.getNotifications()
                .doOnNext(this::deliver)
                .map(Notification::getName);
        Mono<Void> opened = Flux.fromIterable(handlers.keySet())
                .concatMap(channel -> execute(postgres, "LISTEN " + channel))
                .then(Mono.fromRunnable(this::listening))
                .thenMany(Flux.interval(ping)
                        .concatMap(tick -> execute(postgres, "SELECT 1").timeout(PING_TIMEOUT), 1))
                .then();
        return Flux.merge(delivered, opened.thenMany(Flux.<String>empty()));
    }

    private void listening() {
        log.info("listening for changes on {}", handlers.keySet());
        handlers.values().forEach(ChannelHandler::listening);
    }

    private void deliver(Notification notification) {
        ChannelHandler handler = handlers.get(notification.getName());
        if (handler != null && notification.getParameter() != null) {
            handler.notified(notification.getParameter());
        }
    }

    private static Mono<Long> execute(PostgresqlConnection connection, String sql) {
        return connection.createStatement(sql)
                .execute()
                .flatMap(result -> result.getRowsUpdated())
                .reduce(0L, Long::sum);
    }

    /** The driver's own factory behind the pool (with the same options and limits). */
    private static ConnectionFactory unpooled(ConnectionFactory factory) {
        ConnectionFactory current = factory;
        while (current instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner) {
            current = inner;
        }
        return current;
    }
}
