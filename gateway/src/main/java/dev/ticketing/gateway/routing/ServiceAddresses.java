package dev.ticketing.gateway.routing;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.util.Objects;

/** Base addresses of the services, from environment variables with local defaults (application.yml). */
@ConfigurationProperties("ticketing.services")
public record ServiceAddresses(URI queue, URI concert, URI reservation, URI payment) {

    public ServiceAddresses {
        Objects.requireNonNull(queue, "ticketing.services.queue");
        Objects.requireNonNull(concert, "ticketing.services.concert");
        Objects.requireNonNull(reservation, "ticketing.services.reservation");
        Objects.requireNonNull(payment, "ticketing.services.payment");
    }

    URI of(Upstream upstream) {
        return switch (upstream) {
            case QUEUE -> queue;
            case CONCERT -> concert;
            case RESERVATION -> reservation;
            case PAYMENT -> payment;
        };
    }
}
