package dev.ticketing.gateway.routing;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

/** The span of the gateway's server observation of a request: the parent of whatever it causes in the services. */
public final class ServerSpans {

    private ServerSpans() {
    }

    /** Null when the request is not traced. */
    public static Span of(ServerWebExchange exchange) {
        Observation.ContextView context = ServerRequestObservationContext.findCurrent(exchange.getAttributes()).orElse(null);
        if (context == null) {
            return null;
        }
        TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
        return tracing == null ? null : tracing.getSpan();
    }
}
