package dev.ticketing.gateway.routing;

import java.net.URI;

/** The services behind the gateway. */
public enum Upstream {
    QUEUE("queue-service"),
    CONCERT("concert-service"),
    RESERVATION("reservation-service"),
    PAYMENT("payment-service");

    private final String serviceName;
    private final URI uri;

    Upstream(String serviceName) {
        this.serviceName = serviceName;
        this.uri = URI.create("lb://" + serviceName);
    }

    /** The service's name, as its module and {@code spring.application.name} call it, and as discovery knows it. */
    public String serviceName() {
        return serviceName;
    }

    /**
     * Where routes to it go: the service's name, resolved to one of its instances per request by Spring Cloud
     * LoadBalancer ({@link ServiceInstances}).
     */
    public URI uri() {
        return uri;
    }
}
