package dev.surge.gateway.problem;

import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Makes every error a service relays through the gateway a problem document: a service's own
 * problem ({@code application/problem+json}) passes unchanged; any other error body (an HTML page,
 * plain text, a framework's default JSON, nothing) is dropped and replaced by a problem with the
 * status's stable type naming the service. The status and the other headers (say
 * {@code WWW-Authenticate}) are the service's.
 *
 * <p>Runs around {@link NettyWriteResponseFilter}, which writes the relayed body to whatever
 * response it was handed, so it must see ours.
 */
@Component
class ConvertErrorToProblemGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 2;

    private final ProblemWriter writer;

    ConvertErrorToProblemGatewayFilterFactory(ProblemWriter writer) {
        super(Object.class);
        this.writer = writer;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new OrderedGatewayFilter((exchange, chain) -> chain.filter(exchange.mutate()
                .response(new ProblemOnlyResponse(exchange, writer))
                .build()), ORDER);
    }

    private static final class ProblemOnlyResponse extends ServerHttpResponseDecorator {

        private final ServerWebExchange exchange;
        private final ProblemWriter writer;

        ProblemOnlyResponse(ServerWebExchange exchange, ProblemWriter writer) {
            super(exchange.getResponse());
            this.exchange = exchange;
            this.writer = writer;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            HttpStatusCode status = getStatusCode();
            if (status == null || !status.isError() || isProblem(getHeaders().getContentType())) {
                return super.writeWith(body);
            }
            // read the service's body to the end, so its connection goes back to the pool clean
            return Flux.from(body)
                    .doOnNext(DataBufferUtils::release)
                    .then(Mono.defer(() -> writer.write(exchange, getDelegate(), relayed(status))));
        }

        private ProblemDetail relayed(HttpStatusCode status) {
            String service = Problems.serviceOf(exchange);
            ProblemDetail problem = Problems.of(status, "The " + service + " service answered " + status.value() + ".");
            problem.setProperty("service", service);
            return problem;
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            HttpStatusCode status = getStatusCode();
            if (status == null || !status.isError() || isProblem(getHeaders().getContentType())) {
                return super.writeAndFlushWith(body);
            }
            return writeWith(Flux.from(body).concatMap(Flux::from));
        }

        private static boolean isProblem(MediaType contentType) {
            return contentType != null && MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(contentType);
        }
    }
}
