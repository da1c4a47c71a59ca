package dev.ticketing.gateway.edge;

import dev.ticketing.gateway.problem.ProblemException;
import dev.ticketing.gateway.routing.PublicRoute;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Locale;

/**
 * The size and type checks of DESIGN section 3, step 1: 413 over 16 KiB, 415 for a body that is
 * not JSON on a route that takes JSON.
 * <p>
 * A body is read into memory (16 KiB at most) before anything else happens. That enforces the
 * limit on a chunked body with no Content-Length before the later checks run, so the order of
 * checks holds, and no service ever receives part of an oversized body.
 */
final class RequestBodies {

    static final int MAX_BYTES = 16 * 1024;

    private RequestBodies() {
    }

    /**
     * Step 1's body checks in their order: 413, then 415. Answers the exchange with its body held
     * in memory. Every request's body is read, whatever its headers say, so a body that comes
     * without Content-Length or Transfer-Encoding (HTTP/2 frames, for one) is bounded too.
     */
    static Mono<ServerWebExchange> check(PublicRoute route, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getHeaders().getContentLength() > MAX_BYTES) {
            return Mono.error(ProblemException.payloadTooLarge());
        }
        return DataBufferUtils.join(request.getBody(), MAX_BYTES)
                .onErrorMap(DataBufferLimitException.class, tooLarge -> ProblemException.payloadTooLarge())
                .map(RequestBodies::copyAndRelease)
                .defaultIfEmpty(new byte[0])
                .map(body -> {
                    requireJson(route, request, body.length > 0);
                    return exchange.mutate().request(new HeldBody(request, body, exchange)).build();
                });
    }

    /** The body that {@link #check} held in memory; empty if none. */
    static byte[] held(ServerWebExchange exchange) {
        return exchange.getRequest() instanceof HeldBody held ? held.body : new byte[0];
    }

    /** 415 unless a route that takes JSON is sent JSON ({@code application/json} or {@code +json}). */
    private static void requireJson(PublicRoute route, ServerHttpRequest request, boolean hasBody) {
        if (!route.takesJsonBody()) {
            return;
        }
        MediaType type;
        try {
            type = request.getHeaders().getContentType();
        } catch (InvalidMediaTypeException e) {
            throw ProblemException.unsupportedMediaType();
        }
        if (type == null) {
            // No body and no type: let the service say what is missing (400).
            if (hasBody) {
                throw ProblemException.unsupportedMediaType();
            }
            return;
        }
        boolean json = "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype()) || type.getSubtype().toLowerCase(Locale.ROOT).endsWith("+json"));
        if (!json) {
            throw ProblemException.unsupportedMediaType();
        }
    }

    private static byte[] copyAndRelease(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /**
     * The request with its body from memory. Plain bytes rather than a pooled buffer, so a request
     * refused later (429, 401) leaks nothing.
     */
    private static final class HeldBody extends ServerHttpRequestDecorator {

        private final byte[] body;
        private final ServerWebExchange exchange;

        HeldBody(ServerHttpRequest request, byte[] body, ServerWebExchange exchange) {
            super(request);
            this.body = body;
            this.exchange = exchange;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            if (body.length == 0) {
                return Flux.empty();
            }
            return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
        }
    }
}
