package dev.ticketing.messaging.tracing;

import dev.ticketing.events.EventHeaders;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * The span in scope when an outbox row is written (the request's, or the consumed event's),
 * as the W3C traceparent the relay puts on the record, so the consumers of the event continue
 * the same trace. Null when nothing is traced.
 */
public final class CurrentTraceparent implements TraceparentSource {

    private final ObjectProvider<Tracer> tracers;
    private final ObjectProvider<Propagator> propagators;
    private volatile Tracer tracer;
    private volatile Propagator propagator;

    public CurrentTraceparent(ObjectProvider<Tracer> tracers, ObjectProvider<Propagator> propagators) {
        this.tracers = tracers;
        this.propagators = propagators;
    }

    @Override
    public String current() {
        Tracer t = tracer();
        Propagator p = propagator();
        if (t == null || p == null) {
            return null;
        }
        Span span = t.currentSpan();
        if (span == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(4);
        p.inject(span.context(), carrier, Map::put);
        return carrier.get(EventHeaders.TRACEPARENT);
    }

    // Looked up on first use: the tracing beans may be defined after the outbox.
    private Tracer tracer() {
        Tracer t = tracer;
        if (t == null) {
            t = tracers.getIfAvailable();
            tracer = t;
        }
        return t;
    }

    private Propagator propagator() {
        Propagator p = propagator;
        if (p == null) {
            p = propagators.getIfAvailable();
            propagator = p;
        }
        return p;
    }
}
