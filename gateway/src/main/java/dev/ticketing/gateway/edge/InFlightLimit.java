package dev.ticketing.gateway.edge;

import dev.ticketing.gateway.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sheds load at the door: at most {@link OverloadSettings#maxInFlight()} requests are in progress at once, and
 * one more is answered 503 {@code SERVICE_UNAVAILABLE} with {@code Retry-After} before anything else is done
 * for it (no token check, no lookup, no proxying).
 * <p>
 * Without it nothing bounds what a gateway holds when requests arrive faster than the services answer:
 * each waits for a pooled connection (Spring Cloud Gateway's fixed pool queues without limit) or a token
 * lookup, holding its exchange, and clients that do not wait for an answer before sending the next request
 * (a sell-out's crowd) keep opening connections. Measured on 2026-12-07 (docs/performance.md): 1,200 hold
 * attempts/s arriving at a gateway that served about 900/s grew to 8,700 client connections in 11 s and the
 * gateway died of {@code OutOfMemoryError}. With the limit the excess is refused before any other work, the
 * requests taken finish within the services' time limits, and the client retries a second later (or at another
 * instance). A refusal is still an HTTP exchange: under overload the refusals themselves waited 0.2-0.5 s
 * (median) on saturated event loops.
 * <p>
 * The management port (probes, metrics) is never limited: a busy instance must still say it is alive.
 */
@Component
class InFlightLimit implements WebFilter, Ordered {

    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;
    private final ApplicationContext publicServer;

    InFlightLimit(OverloadSettings settings, MeterRegistry meters, ApplicationContext publicServer) {
        this.maxInFlight = settings.maxInFlight();
        this.publicServer = publicServer;
        Gauge.builder("gateway.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Requests in progress on the public port")
                .register(meters);
        Gauge.builder("gateway.requests.in.flight.max", () -> maxInFlight)
                .description("Requests in progress on the public port beyond which one more is refused 503 at once")
                .register(meters);
        this.shed = Counter.builder("gateway.requests.shed")
                .description("Requests refused 503 at once because the instance was at its limit of requests in progress")
                .register(meters);
    }

    @Override
    public int getOrder() {
        // First of all: a refused request costs nothing else.
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (EdgeChecks.isManagementServer(exchange, publicServer)) {
            return chain.filter(exchange);
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            shed.increment();
            return Mono.error(ProblemException.overloaded());
        }
        // Released exactly once, however the exchange ends: answered, failed, or the client gone (cancel).
        return chain.filter(exchange).doFinally(signal -> inFlight.decrementAndGet());
    }
}
