package dev.ticketing.gateway.routing;

/** The services behind the gateway. */
public enum Upstream {
    QUEUE("queue-service"),
    CONCERT("concert-service"),
    RESERVATION("reservation-service"),
    PAYMENT("payment-service");

    private final String serviceName;

    Upstream(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The service's name, as its module and {@code spring.application.name} call it. */
    public String serviceName() {
        return serviceName;
    }
}
